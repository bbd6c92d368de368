import { type Axis, utcLabel } from './axis.js';
import { COLORS, esc, FONT, HALO, placeLabels, shape, textWidth } from './draw.js';
import { LANE_H, LEFT, MARK_Y, PLOT_RIGHT, TIMELINE_WIDTH, TOP } from './geometry.js';
import { laneTitle, type Mark, onRow, type Row, type Span, type TimelineModel, type Tone } from './model.js';

const TONE_WEIGHT: Record<Tone, number> = { bad: 3, warn: 2, ok: 1, info: 0 };

/** Where one lane sits on the picture. */
interface LaneBox {
  top: number;
  /** The line the marks sit on. */
  cy: number;
}

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

/**
 * The lane's spans as dashed bands with their label on the lane's bottom row.
 * Spans wholly off the axis are returned as notes instead; `labelEnd` is where
 * the last span label ends (the lane's note goes beside it when there is room).
 */
function spansSvg(spans: readonly Span[], box: LaneBox, axis: Axis): { svg: string[]; offAxis: string[]; labelEnd: number } {
  const { top, cy } = box;
  const svg: string[] = [];
  const offAxis: string[] = [];
  let labelEnd = LEFT;
  for (const s of spans) {
    const x1 = Math.max(LEFT, Number.isFinite(s.from) ? axis.x(s.from) : LEFT);
    const x2 = Math.min(PLOT_RIGHT, Number.isFinite(s.to) ? axis.x(s.to) : PLOT_RIGHT);
    if (x2 <= x1) {
      if (Number.isFinite(s.from) && Number.isFinite(s.to))
        offAxis.push(`${s.label}${s.zoneless ? '*' : ''} ${utcLabel(s.from)} to ${utcLabel(s.to)} (${s.to < axis.t0 ? 'before' : 'after'} the axis)`);
      continue;
    }
    const color = COLORS[s.tone];
    svg.push(
      `<rect x="${x1.toFixed(1)}" y="${cy - 10}" width="${(x2 - x1).toFixed(1)}" height="20" fill="${color}" fill-opacity="0.14" stroke="${color}" stroke-dasharray="4 3"/>`,
    );
    const ends = Number.isFinite(s.to) ? `, ends ${utcLabel(s.to)}` : '';
    const text = `${s.label}${s.zoneless ? '*' : ''}${ends}`;
    const tw = textWidth(text, 11);
    const tx = x2 - x1 >= tw + 8 ? x1 + 4 : Math.max(LEFT, Math.min(x1, PLOT_RIGHT - tw));
    svg.push(`<text x="${tx.toFixed(1)}" y="${top + LANE_H - 6}" ${FONT} font-size="11" fill="${color}" ${HALO}>${esc(text)}</text>`);
    labelEnd = Math.max(labelEnd, tx + tw);
  }
  return { svg, offAxis, labelEnd };
}

/** The lane's marks on the axis, grouped, with their labels above and below; returns how many labels did not fit. */
function marksSvg(inside: Mark[], box: LaneBox, axis: Axis): { svg: string[]; hidden: number } {
  const { cy } = box;
  const svg: string[] = [];
  const groups = grouped(inside, axis);
  for (const g of groups) svg.push(shape(g.mark.shape, g.x, cy, COLORS[g.mark.tone]));
  const labels = placeLabels(
    groups.map((g) => ({ x: g.x, text: g.label })),
    2,
    12,
    LEFT,
    PLOT_RIGHT,
  );
  for (const p of labels.placed) {
    const y = p.row === 0 ? cy - 14 : cy + 24;
    svg.push(`<text x="${p.x.toFixed(1)}" y="${y}" text-anchor="${p.anchor}" ${FONT} font-size="12" fill="#333333" ${HALO}>${esc(p.text)}</text>`);
  }
  return { svg, hidden: labels.hidden };
}

/** The lane's title, with the device under it when the case holds several. */
function titleSvg(row: Row, top: number, model: TimelineModel): string[] {
  const title = esc(laneTitle(model, row.lane));
  if (!row.label) return [`<text x="14" y="${top + LANE_H / 2 + 5}" ${FONT} font-size="14" fill="#222222">${title}</text>`];
  return [
    `<text x="14" y="${top + LANE_H / 2 - 3}" ${FONT} font-size="14" fill="#222222">${title}</text>`,
    `<text x="14" y="${top + LANE_H / 2 + 14}" ${FONT} font-size="12" fill="#555555">${esc(row.label)}</text>`,
  ];
}

/** One lane (of one device): its band and title, spans, marks, and a note of what did not fit or falls off the axis. */
export function laneSvg(row: Row, index: number, model: TimelineModel, axis: Axis): string[] {
  const top = TOP + index * LANE_H;
  const box = { top, cy: top + MARK_Y };
  const out: string[] = [];
  out.push(`<rect x="0" y="${top}" width="${TIMELINE_WIDTH}" height="${LANE_H}" fill="${index % 2 ? '#ffffff' : '#f5f6f8'}"/>`);
  out.push(...titleSvg(row, top, model));
  out.push(`<line x1="${LEFT}" y1="${box.cy}" x2="${PLOT_RIGHT}" y2="${box.cy}" stroke="#c9ccd1" stroke-width="1"/>`);

  const spans = spansSvg(
    model.spans.filter((sp) => onRow(row, sp)),
    box,
    axis,
  );
  out.push(...spans.svg);
  const mine = model.marks.filter((m) => onRow(row, m));
  const inside = mine.filter((m) => m.at >= axis.t0 && m.at <= axis.t1);
  const outside = mine.filter((m) => m.at < axis.t0 || m.at > axis.t1);
  const marks = marksSvg(inside, box, axis);
  out.push(...marks.svg);

  const notes: string[] = [];
  if (marks.hidden) notes.push(`+${marks.hidden} more label${marks.hidden === 1 ? '' : 's'} not shown`);
  for (const n of [
    outsideNote(
      outside.filter((m) => m.at < axis.t0),
      'before',
    ),
    outsideNote(
      outside.filter((m) => m.at > axis.t1),
      'after',
    ),
    ...spans.offAxis,
  ])
    if (n) notes.push(n);
  if (notes.length) {
    const text = notes.join('; ');
    // Beside the span's label when there is room, else on the lane's top row (mark labels sit lower).
    const y = PLOT_RIGHT - textWidth(text, 11) > spans.labelEnd + 8 ? top + LANE_H - 6 : top + 13;
    out.push(`<text x="${PLOT_RIGHT}" y="${y}" text-anchor="end" ${FONT} font-size="11" fill="#666666" ${HALO}>${esc(text)}</text>`);
  }
  return out;
}
