import { LEFT, RIGHT, TIMELINE_WIDTH } from './geometry.js';
import type { TimelineModel } from './model.js';

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
/**
 * "2024-05-06 09:00:00 UTC": the time of an event, written as the reports write it (to the second, ":00"
 * included), so a time read off the picture is found as it is in the text. Axis ticks stay short (ticks()).
 */
export const utcLabel = (t: number) => `${ymd(new Date(t))} ${hms(new Date(t))} UTC`;

/** The time axis: its ends and where a time falls on the picture. */
export interface Axis {
  t0: number;
  t1: number;
  x: (t: number) => number;
}

export interface Tick {
  at: number;
  label: string;
  /** Shown under the label where the date changes. */
  date?: string;
}

export function axisFor(model: TimelineModel): Axis {
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

export function ticks(axis: Axis): Tick[] {
  const span = axis.t1 - axis.t0;
  const step = STEPS.find((s) => span / s <= 8) ?? STEPS[STEPS.length - 1];
  const out: Tick[] = [];
  let lastDate = '';
  for (let t = Math.ceil(axis.t0 / step) * step; t <= axis.t1; t += step) {
    const d = new Date(t);
    const date = ymd(d);
    // Month-day labels only when every tick falls in one year; otherwise the whole date.
    const oneYear = new Date(axis.t0).getUTCFullYear() === new Date(axis.t1).getUTCFullYear();
    // A tick is a round point on the scale, not an event's time: "09:30" says it, a ":00" would only crowd the axis.
    const label = step >= DAY ? (oneYear ? date.slice(5) : step >= 30 * DAY ? date.slice(0, 7) : date) : step < MINUTE ? hms(d) : hm(d);
    const showDate = step >= DAY ? (out.length === 0 && oneYear ? String(d.getUTCFullYear()) : undefined) : date !== lastDate ? date : undefined;
    out.push({ at: t, label, ...(showDate ? { date: showDate } : {}) });
    lastDate = date;
  }
  return out;
}
