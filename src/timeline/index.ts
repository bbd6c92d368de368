export { renderTimelinePng, resvgRenderer, type SvgRenderer } from './png.js';
export { timelineSvg, timelineHeight, TIMELINE_WIDTH } from './svg.js';
export { timelineModel, timedEventCount, SELF_HEALING_MS, type TimelineModel } from './model.js';
export { timelineFontFile } from './font.js';
