import { TIMELINE_FONT_FAMILY } from './font.js';
import type { Shape, Tone } from './model.js';

/** SVG building blocks shared by the lanes, the axis and the legend. */

export const COLORS: Record<Tone, string> = { ok: '#2e7d32', bad: '#c62828', warn: '#e07b00', info: '#1565c0' };
export const FONT = `font-family="${TIMELINE_FONT_FAMILY}"`;
/** A white outline under label text keeps it readable where it crosses grid and marker lines. */
export const HALO = 'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** DejaVu Sans is wide: 0.64 em per character over-estimates slightly, which keeps labels apart. */
export function textWidth(s: string, size: number): number {
  return s.length * size * 0.64;
}

export function shape(kind: Shape, x: number, y: number, color: string): string {
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

export interface PlacedLabel {
  x: number;
  text: string;
  row: number;
  anchor: 'start' | 'middle' | 'end';
}

/**
 * Greedy label placement: each label takes the first row (above, below)
 * where it does not touch a label already there; labels that fit nowhere
 * are counted, not drawn on top of each other.
 */
export function placeLabels(
  items: { x: number; text: string }[],
  rows: number,
  size: number,
  minX: number,
  maxX: number,
): { placed: PlacedLabel[]; hidden: number } {
  const taken: Placed[][] = Array.from({ length: rows }, () => []);
  const placed: PlacedLabel[] = [];
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
