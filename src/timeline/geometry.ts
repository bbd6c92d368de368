/** Picture geometry. The width is fixed; the height grows with the number of lanes. */
export const TIMELINE_WIDTH = 1200;
/** Left of the plot: the lane titles. */
export const LEFT = 230;
export const RIGHT = 40;
/** Above the lanes: the title, the subtitle and the markers' labels. */
export const TOP = 90;
export const LANE_H = 90;
/** Marks sit above the middle so the band label of a span has its own row at the bottom. */
export const MARK_Y = 40;
export const AXIS_H = 64;
export const LEGEND_ROW = 24;
export const LEGEND_ROWS = 3;
const LEGEND_H = LEGEND_ROW * LEGEND_ROWS + 12;

export function timelineHeight(lanes: number): number {
  return TOP + lanes * LANE_H + AXIS_H + LEGEND_H;
}

/** The right edge of the plot. */
export const PLOT_RIGHT = TIMELINE_WIDTH - RIGHT;
