import type { Report } from '../report/types.js';
import { PLATFORMS } from '../report/render/words.js';
import { TIMELINE_FONT_FAMILY } from './font.js';
import { LANES, timedEventCount, timelineModel, type LaneId, type Mark, type Shape, type TimelineModel, type Tone } from './model.js';

/** Picture geometry. The width is fixed; the height grows with the number of lanes. */
export const TIMELINE_WIDTH = 1200;
const LEFT = 230;
const RIGHT = 40;
const TOP = 90;
const LANE_H = 90;
/** Marks sit above the middle so the band label of a span has its own row at the bottom. */
const MARK_Y = 40;
const AXIS_H = 64;
const LEGEND_ROW = 24;
const LEGEND_ROWS = 3;
const LEGEND_H = LEGEND_ROW * LEGEND_ROWS + 12;

export function timelineHeight(lanes: number): number {
  return TOP + lanes * LANE_H + AXIS_H + LEGEND_H;
}

const COLORS: Record<Tone, string> = { ok: '#2e7d32', bad: '#c62828', warn: '#e07b00', info: '#1565c0' };
const FONT = `font-family="${TIMELINE_FONT_FAMILY}"`;
/** A white outline under label text keeps it readable where it crosses grid and marker lines. */
const HALO = 'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** DejaVu Sans is wide: 0.64 em per character over-estimates slightly, which keeps labels apart. */
function textWidth(s: string, size: number): number {
  return s.length * size * 0.64;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [1, 2, 5, 10, 15, 30]
  .map((n) => n * SECOND)
  .concat(
    [1, 2, 5, 10, 15, 30].map((n) => n * MINUTE),
    [1, 2, 3, 6, 12].map((n) => n * HOUR),
    [1, 2, 7, 14, 30, 91, 182, 365].map((n) => n * DAY),
  );

const pad2 = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
const hm = (d: Date) => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
const hms = (d: Date) => `${hm(d)}:${pad2(d.getUTCSeconds())}`;
/** "2024-05-06 09:00 UTC" */
const utcLabel = (t: number) => `${ymd(new Date(t))} ${hms(new Date(t)).replace(/:00$/, '')} UTC`;

interface Axis {
  t0: number;
  t1: number;
  x: (t: number) => number;
}

function axisFor(model: TimelineModel): Axis {
  let { start, end } = model;
  if (end - start < MINUTE) {
    const mid = (start + end) / 2;
    start = mid - 30 * SECOND;
    end = mid + 30 * SECOND;
  }
  const pad = (end - start) * 0.04;
  const t0 = start - pad;
  const t1 = end + pad;
  const w = TIMELINE_WIDTH - LEFT - RIGHT;
  return { t0, t1, x: (t) => LEFT + ((t - t0) / (t1 - t0)) * w };
}

function ticks(axis: Axis): { at: number; label: string; date?: string }[] {
  const span = axis.t1 - axis.t0;
  const step = STEPS.find((s) => span / s <= 8) ?? STEPS[STEPS.length - 1];
  const out: { at: number; label: string; date?: string }[] = [];
  let lastDate = '';
  for (let t = Math.ceil(axis.t0 / step) * step; t <= axis.t1; t += step) {
    const d = new Date(t);
    const date = ymd(d);
    // Month-day labels only when every tick falls in one year; otherwise the whole date.
    const oneYear = new Date(axis.t0).getUTCFullYear() === new Date(axis.t1).getUTCFullYear();
    const label = step >= DAY ? (oneYear ? date.slice(5) : step >= 30 * DAY ? date.slice(0, 7) : date) : step < MINUTE ? hms(d) : hm(d);
    const showDate = step >= DAY ? (out.length === 0 && oneYear ? String(d.getUTCFullYear()) : undefined) : date !== lastDate ? date : undefined;
    out.push({ at: t, label, ...(showDate ? { date: showDate } : {}) });
    lastDate = date;
  }
  return out;
}

function shape(kind: Shape, x: number, y: number, color: string): string {
  const common = `fill="${color}" stroke="#ffffff" stroke-width="1.5"`;
  switch (kind) {
    case 'circle':
      return `<circle cx="${x.toFixed(1)}" cy="${y}" r="6.5" ${common}/>`;
    case 'square':
      return `<rect x="${(x - 6).toFixed(1)}" y="${y - 6}" width="12" height="12" ${common}/>`;
    case 'diamond':
      return `<path d="M${x.toFixed(1)} ${y - 8}L${(x + 8).toFixed(1)} ${y}L${x.toFixed(1)} ${y + 8}L${(x - 8).toFixed(1)} ${y}Z" ${common}/>`;
    case 'triangle':
      return `<path d="M${x.toFixed(1)} ${y - 8}L${(x + 8).toFixed(1)} ${y + 6}L${(x - 8).toFixed(1)} ${y + 6}Z" ${common}/>`;
  }
}

interface Placed {
  from: number;
  to: number;
}

/**
 * Greedy label placement: each label takes the first row (above, below)
 * where it does not touch a label already there; labels that fit nowhere
 * are counted, not drawn on top of each other.
 */
function placeLabels(items: { x: number; text: string }[], rows: number, size: number, minX: number, maxX: number) {
  const taken: Placed[][] = Array.from({ length: rows }, () => []);
  const placed: { x: number; text: string; row: number; anchor: 'start' | 'middle' | 'end' }[] = [];
  let hidden = 0;
  for (const it of items) {
    const w = textWidth(it.text, size);
    let from = it.x - w / 2;
    let anchor: 'start' | 'middle' | 'end' = 'middle';
    if (from < minX) {
      from = it.x;
      anchor = 'start';
    } else if (it.x + w / 2 > maxX) {
      from = it.x - w;
      anchor = 'end';
    }
    const box = { from: from - 3, to: from + w + 3 };
    const row = taken.findIndex((r) => r.every((p) => box.to <= p.from || box.from >= p.to));
    if (row < 0) {
      hidden++;
      continue;
    }
    taken[row].push(box);
    placed.push({ x: it.x, text: it.text, row, anchor });
  }
  return { placed, hidden };
}

const TONE_WEIGHT: Record<Tone, number> = { bad: 3, warn: 2, ok: 1, info: 0 };

/**
 * Marks less than two pixels apart are drawn once: the loudest tone wins
 * (an error over an Idle), and the label lists each kind with its count.
 */
function grouped(marks: Mark[], axis: Axis): { x: number; mark: Mark; label: string }[] {
  const groups: { x: number; marks: Mark[] }[] = [];
  for (const m of marks) {
    const x = axis.x(m.at);
    const last = groups[groups.length - 1];
    if (last && Math.abs(last.x - x) < 2) last.marks.push(m);
    else groups.push({ x, marks: [m] });
  }
  return groups.map((g) => {
    const counts = new Map<string, number>();
    // A time written without a zone carries a star: the legend says what it means.
    for (const m of g.marks) counts.set(`${m.label}${m.zoneless ? '*' : ''}`, (counts.get(`${m.label}${m.zoneless ? '*' : ''}`) ?? 0) + 1);
    const loudest = g.marks.reduce((a, b) => (TONE_WEIGHT[b.tone] > TONE_WEIGHT[a.tone] ? b : a));
    return { x: g.x, mark: loudest, label: [...counts].map(([l, n]) => (n > 1 ? `${l} ×${n}` : l)).join(', ') };
  });
}

/** Events of a lane outside the axis, in words: each when there are one or two, else how many and their span. */
function outsideNote(marks: readonly Mark[], side: 'before' | 'after'): string | undefined {
  if (!marks.length) return undefined;
  const star = (m: Mark) => (m.zoneless ? '*' : '');
  if (marks.length <= 2) return `${marks.map((m) => `${m.label}${star(m)} ${utcLabel(m.at)}`).join(', ')} (${side} the axis)`;
  const kinds = [...new Set(marks.map((m) => m.label))];
  return `${marks.length} events ${side} the axis (${kinds.slice(0, 2).join(', ')}${kinds.length > 2 ? '…' : ''}), ${utcLabel(marks[0]!.at)} to ${utcLabel(marks[marks.length - 1]!.at)}`;
}

function laneSvg(lane: LaneId, index: number, model: TimelineModel, axis: Axis): string[] {
  const top = TOP + index * LANE_H;
  const cy = top + MARK_Y;
  const plotL = LEFT;
  const plotR = TIMELINE_WIDTH - RIGHT;
  const out: string[] = [];
  out.push(`<rect x="0" y="${top}" width="${TIMELINE_WIDTH}" height="${LANE_H}" fill="${index % 2 ? '#ffffff' : '#f5f6f8'}"/>`);
  out.push(`<text x="14" y="${top + LANE_H / 2 + 5}" ${FONT} font-size="14" fill="#222222">${esc(LANES.find((l) => l.id === lane)!.title)}</text>`);
  out.push(`<line x1="${plotL}" y1="${cy}" x2="${plotR}" y2="${cy}" stroke="#c9ccd1" stroke-width="1"/>`);

  let spanLabelEnd = plotL;
  const offAxis: string[] = [];
  for (const s of model.spans.filter((sp) => sp.lane === lane)) {
    const x1 = Math.max(plotL, Number.isFinite(s.from) ? axis.x(s.from) : plotL);
    const x2 = Math.min(plotR, Number.isFinite(s.to) ? axis.x(s.to) : plotR);
    if (x2 <= x1) {
      if (Number.isFinite(s.from) && Number.isFinite(s.to))
        offAxis.push(`${s.label}${s.zoneless ? '*' : ''} ${utcLabel(s.from)} to ${utcLabel(s.to)} (${s.to < axis.t0 ? 'before' : 'after'} the axis)`);
      continue;
    }
    const color = COLORS[s.tone];
    out.push(
      `<rect x="${x1.toFixed(1)}" y="${cy - 10}" width="${(x2 - x1).toFixed(1)}" height="20" fill="${color}" fill-opacity="0.14" stroke="${color}" stroke-dasharray="4 3"/>`,
    );
    const ends = Number.isFinite(s.to) ? `, ends ${utcLabel(s.to)}` : '';
    const text = `${s.label}${s.zoneless ? '*' : ''}${ends}`;
    const tw = textWidth(text, 11);
    const tx = x2 - x1 >= tw + 8 ? x1 + 4 : Math.max(plotL, Math.min(x1, plotR - tw));
    out.push(`<text x="${tx.toFixed(1)}" y="${top + LANE_H - 6}" ${FONT} font-size="11" fill="${color}" ${HALO}>${esc(text)}</text>`);
    spanLabelEnd = Math.max(spanLabelEnd, tx + tw);
  }

  const inside = model.marks.filter((m) => m.lane === lane && m.at >= axis.t0 && m.at <= axis.t1);
  const outside = model.marks.filter((m) => m.lane === lane && (m.at < axis.t0 || m.at > axis.t1));
  const groups = grouped(inside, axis);
  for (const g of groups) out.push(shape(g.mark.shape, g.x, cy, COLORS[g.mark.tone]));
  const labels = placeLabels(
    groups.map((g) => ({ x: g.x, text: g.label })),
    2,
    12,
    plotL,
    plotR,
  );
  for (const p of labels.placed) {
    const y = p.row === 0 ? cy - 14 : cy + 24;
    out.push(`<text x="${p.x.toFixed(1)}" y="${y}" text-anchor="${p.anchor}" ${FONT} font-size="12" fill="#333333" ${HALO}>${esc(p.text)}</text>`);
  }
  const notes: string[] = [];
  if (labels.hidden) notes.push(`+${labels.hidden} more label${labels.hidden === 1 ? '' : 's'} not shown`);
  for (const n of [
    outsideNote(
      outside.filter((m) => m.at < axis.t0),
      'before',
    ),
    outsideNote(
      outside.filter((m) => m.at > axis.t1),
      'after',
    ),
    ...offAxis,
  ])
    if (n) notes.push(n);
  if (notes.length) {
    const text = notes.join('; ');
    // Beside the span's label when there is room, else on the lane's top row (mark labels sit lower).
    const y = plotR - textWidth(text, 11) > spanLabelEnd + 8 ? top + LANE_H - 6 : top + 13;
    out.push(`<text x="${plotR}" y="${y}" text-anchor="end" ${FONT} font-size="11" fill="#666666" ${HALO}>${esc(text)}</text>`);
  }
  return out;
}

const LEGEND: { show: (m: TimelineModel) => boolean; draw: (x: number, y: number) => string; text: string }[] = [
  {
    show: (m) => m.marks.some((k) => k.lane === 'push' && k.tone === 'ok'),
    draw: (x, y) => shape('circle', x, y, COLORS.ok),
    text: 'push accepted by APNs (2xx)',
  },
  { show: (m) => m.marks.some((k) => k.lane === 'push' && k.tone === 'bad'), draw: (x, y) => shape('circle', x, y, COLORS.bad), text: 'push refused by APNs' },
  {
    show: (m) => m.marks.some((k) => k.lane === 'push' && k.tone === 'info'),
    draw: (x, y) => shape('circle', x, y, COLORS.info),
    text: 'push sent (no APNs answer logged)',
  },
  { show: (m) => m.marks.some((k) => k.lane === 'contact'), draw: (x, y) => shape('diamond', x, y, COLORS.ok), text: 'device contacted the server' },
  {
    show: (m) => m.marks.some((k) => k.lane === 'command' && k.tone !== 'warn'),
    draw: (x, y) => shape('square', x, y, COLORS.ok),
    text: 'command status (Acknowledged / Error)',
  },
  {
    show: (m) => m.marks.some((k) => k.lane === 'command' && k.tone === 'warn'),
    draw: (x, y) => shape('square', x, y, COLORS.warn),
    text: 'NotNow (command deferred)',
  },
  {
    show: (m) => m.marks.some((k) => k.lane === 'enrollment'),
    draw: (x, y) => shape('square', x, y, COLORS.info),
    text: 'enrollment check-in (red: CheckOut)',
  },
  {
    show: (m) => m.marks.some((k) => k.lane !== 'push' && k.shape === 'circle' && k.tone === 'info'),
    draw: (x, y) => shape('circle', x, y, COLORS.info),
    text: 'other event',
  },
  {
    show: (m) => m.marks.some((k) => k.lane === 'device' && k.tone === 'bad'),
    draw: (x, y) => shape('triangle', x, y, COLORS.bad),
    text: 'device rejected a push / lost APNs',
  },
  {
    show: (m) => m.spans.some((s) => s.lane === 'device'),
    draw: (x, y) =>
      `<rect x="${x - 9}" y="${y - 7}" width="18" height="14" fill="${COLORS.warn}" fill-opacity="0.14" stroke="${COLORS.warn}" stroke-dasharray="4 3"/>`,
    text: '25 h self-healing window',
  },
  {
    show: (m) => m.markers.length > 0,
    draw: (x, y) => `<line x1="${x}" y1="${y - 8}" x2="${x}" y2="${y + 8}" stroke="#555555" stroke-dasharray="4 3" stroke-width="1.5"/>`,
    text: 'failures began / sysdiagnose',
  },
];

/** The timeline as SVG, or null when fewer than two timed events would be shown. */
export function timelineSvg(report: Report): string | null {
  const model = timelineModel(report);
  if (timedEventCount(model) < 2) return null;
  return modelSvg(model, report);
}

function modelSvg(model: TimelineModel, report: Report): string {
  const axis = axisFor(model);
  const height = timelineHeight(model.lanes.length);
  const axisY = TOP + model.lanes.length * LANE_H;
  const plotR = TIMELINE_WIDTH - RIGHT;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${TIMELINE_WIDTH}" height="${height}" viewBox="0 0 ${TIMELINE_WIDTH} ${height}">`);
  out.push(`<rect width="${TIMELINE_WIDTH}" height="${height}" fill="#ffffff"/>`);

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

  // Grid first, so lanes and marks draw over it.
  const tks = ticks(axis);
  model.lanes.forEach((lane, i) => out.push(...laneSvg(lane, i, model, axis)));
  for (const t of tks) {
    const x = axis.x(t.at).toFixed(1);
    out.push(`<line x1="${x}" y1="${TOP}" x2="${x}" y2="${axisY}" stroke="#8a8f98" stroke-opacity="0.25" stroke-width="1"/>`);
  }

  // Vertical markers with their labels in two rows above the lanes (those off the axis are named under the title).
  const onAxis = model.markers.filter((m) => m.at >= axis.t0 && m.at <= axis.t1);
  const markerLabels = placeLabels(
    onAxis.map((m) => ({ x: axis.x(m.at), text: `${m.label}${m.zoneless ? '*' : ''}` })),
    2,
    12,
    LEFT,
    plotR,
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

  // Axis with tick labels (time, and the date where it changes).
  out.push(`<line x1="${LEFT}" y1="${axisY}" x2="${plotR}" y2="${axisY}" stroke="#333333" stroke-width="1.5"/>`);
  const tickLabels = placeLabels(
    tks.map((t) => ({ x: axis.x(t.at), text: t.label })),
    1,
    12,
    LEFT - 30,
    plotR + 30,
  );
  for (const t of tks) out.push(`<line x1="${axis.x(t.at).toFixed(1)}" y1="${axisY}" x2="${axis.x(t.at).toFixed(1)}" y2="${axisY + 6}" stroke="#333333"/>`);
  for (const p of tickLabels.placed)
    out.push(`<text x="${p.x.toFixed(1)}" y="${axisY + 20}" text-anchor="middle" ${FONT} font-size="12" fill="#222222">${esc(p.text)}</text>`);
  const dates = placeLabels(
    tks.filter((t) => t.date).map((t) => ({ x: axis.x(t.at), text: t.date! })),
    1,
    11,
    LEFT - 40,
    plotR + 30,
  );
  for (const p of dates.placed)
    out.push(`<text x="${p.x.toFixed(1)}" y="${axisY + 35}" text-anchor="middle" ${FONT} font-size="11" fill="#555555">${esc(p.text)}</text>`);
  out.push(`<text x="14" y="${axisY + 20}" ${FONT} font-size="13" fill="#222222">Time (UTC)</text>`);

  // Legend, wrapped onto a second row when it does not fit one.
  let lx = 24;
  let row = 0;
  for (const item of LEGEND.filter((l) => l.show(model))) {
    const w = 14 + textWidth(item.text, 12) + 26;
    if (lx + w > TIMELINE_WIDTH - 10 && lx > 24 && row < LEGEND_ROWS - 1) {
      row++;
      lx = 24;
    }
    const ly = axisY + AXIS_H + 6 + row * LEGEND_ROW;
    out.push(item.draw(lx, ly));
    out.push(`<text x="${lx + 14}" y="${ly + 4}" ${FONT} font-size="12" fill="#333333">${esc(item.text)}</text>`);
    lx += w;
  }
  out.push('</svg>');
  return out.join('\n');
}
