import type { Report } from '../report/types.js';
import { PLATFORMS } from '../report/render/words.js';
import { type Axis, axisFor, type Tick, ticks, utcLabel } from './axis.js';
import { esc, FONT, HALO, placeLabels } from './draw.js';
import { LANE_H, LEFT, PLOT_RIGHT, TIMELINE_WIDTH, TOP, timelineHeight } from './geometry.js';
import { laneSvg } from './lane.js';
import { legendSvg } from './legend.js';
import { timedEventCount, timelineModel, type TimelineModel } from './model.js';

/** The timeline as SVG, or null when fewer than two timed events would be shown. */
export function timelineSvg(report: Report): string | null {
  const model = timelineModel(report);
  if (timedEventCount(model) < 2) return null;
  return modelSvg(model, report);
}

function modelSvg(model: TimelineModel, report: Report): string {
  const axis = axisFor(model);
  const height = timelineHeight(model.rows.length);
  const axisY = TOP + model.rows.length * LANE_H;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${TIMELINE_WIDTH}" height="${height}" viewBox="0 0 ${TIMELINE_WIDTH} ${height}">`);
  out.push(`<rect width="${TIMELINE_WIDTH}" height="${height}" fill="#ffffff"/>`);
  out.push(...titleSvg(model, report, axis));

  // The lanes, then the grid over them: faint enough that the marks stay readable.
  const tks = ticks(axis);
  model.rows.forEach((row, i) => out.push(...laneSvg(row, i, model, axis)));
  for (const t of tks) {
    const x = axis.x(t.at).toFixed(1);
    out.push(`<line x1="${x}" y1="${TOP}" x2="${x}" y2="${axisY}" stroke="#8a8f98" stroke-opacity="0.25" stroke-width="1"/>`);
  }
  out.push(...markersSvg(model, axis, axisY));
  out.push(...axisSvg(tks, axis, axisY));
  out.push(...legendSvg(model, axisY));
  out.push('</svg>');
  return out.join('\n');
}

/** The title (the device), what the picture shows and over which times, and the markers off the axis. */
function titleSvg(model: TimelineModel, report: Report, axis: Axis): string[] {
  const out: string[] = [];
  const platform = report.device.platform && (PLATFORMS[report.device.platform.toLowerCase()] ?? report.device.platform);
  const device = [report.device.model, [platform, report.device.osVersion, report.device.osBuild && `(${report.device.osBuild})`].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  out.push(`<text x="14" y="30" ${FONT} font-size="20" fill="#111111">${esc(`Push timeline${device ? ` for ${device}` : ''}`)}</text>`);
  const count = model.marks.length;
  const shown = model.marks.filter((m) => m.at >= axis.t0 && m.at <= axis.t1).length;
  const events =
    shown === count
      ? `${count} event${count === 1 ? '' : 's'}`
      : `${shown} of ${count} events (${model.around === 'failures' ? 'the failing pushes and what followed' : 'the latest activity'})`;
  const away = model.markersOutside.map((m) => `${m.label}${m.zoneless ? '*' : ''} ${utcLabel(m.at)}`);
  const subtitle = `${events} from ${utcLabel(model.start)} to ${utcLabel(model.end)}; all times UTC${model.zoneless ? '; * written without a zone, placed as written' : ''}`;
  out.push(`<text x="14" y="52" ${FONT} font-size="13" fill="#555555">${esc(subtitle)}</text>`);
  if (away.length) out.push(`<text x="14" y="70" ${FONT} font-size="12" fill="#666666">${esc(`Outside the axis: ${away.join('; ')}`)}</text>`);
  return out;
}

/** Vertical markers with their labels in two rows above the lanes (those off the axis are named under the title). */
function markersSvg(model: TimelineModel, axis: Axis, axisY: number): string[] {
  const out: string[] = [];
  const onAxis = model.markers.filter((m) => m.at >= axis.t0 && m.at <= axis.t1);
  const markerLabels = placeLabels(
    onAxis.map((m) => ({ x: axis.x(m.at), text: `${m.label}${m.zoneless ? '*' : ''}` })),
    2,
    12,
    LEFT,
    PLOT_RIGHT,
  );
  for (const m of onAxis) {
    const x = axis.x(m.at).toFixed(1);
    out.push(`<line x1="${x}" y1="${TOP - 4}" x2="${x}" y2="${axisY}" stroke="#555555" stroke-dasharray="4 3" stroke-width="1.5"/>`);
  }
  for (const p of markerLabels.placed) {
    out.push(
      `<text x="${p.x.toFixed(1)}" y="${p.row === 0 ? TOP - 8 : TOP - 22}" text-anchor="${p.anchor}" ${FONT} font-size="12" fill="#333333" ${HALO}>${esc(p.text)}</text>`,
    );
  }
  return out;
}

/** The axis with its tick labels (time, and the date where it changes). */
function axisSvg(tks: Tick[], axis: Axis, axisY: number): string[] {
  const out: string[] = [];
  out.push(`<line x1="${LEFT}" y1="${axisY}" x2="${PLOT_RIGHT}" y2="${axisY}" stroke="#333333" stroke-width="1.5"/>`);
  const tickLabels = placeLabels(
    tks.map((t) => ({ x: axis.x(t.at), text: t.label })),
    1,
    12,
    LEFT - 30,
    PLOT_RIGHT + 30,
  );
  for (const t of tks) out.push(`<line x1="${axis.x(t.at).toFixed(1)}" y1="${axisY}" x2="${axis.x(t.at).toFixed(1)}" y2="${axisY + 6}" stroke="#333333"/>`);
  for (const p of tickLabels.placed)
    out.push(`<text x="${p.x.toFixed(1)}" y="${axisY + 20}" text-anchor="middle" ${FONT} font-size="12" fill="#222222">${esc(p.text)}</text>`);
  const dates = placeLabels(
    tks.filter((t) => t.date).map((t) => ({ x: axis.x(t.at), text: t.date! })),
    1,
    11,
    LEFT - 40,
    PLOT_RIGHT + 30,
  );
  for (const p of dates.placed)
    out.push(`<text x="${p.x.toFixed(1)}" y="${axisY + 35}" text-anchor="middle" ${FONT} font-size="11" fill="#555555">${esc(p.text)}</text>`);
  out.push(`<text x="14" y="${axisY + 20}" ${FONT} font-size="13" fill="#222222">Time (UTC)</text>`);
  return out;
}
