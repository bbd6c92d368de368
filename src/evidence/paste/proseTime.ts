/**
 * A time a person writes after "at" ("APNs returned 200 at 09:05", "at
 * 2024-05-02 09:05 UTC"). With a date it becomes `at` (UTC); without a zone
 * it is marked zone "unknown" (never silently UTC); without a date only the
 * wall-clock time is kept.
 */
export interface ProseTime {
  at?: string;
  attrs: Record<string, string>;
}

const AT_TIME = /\bat\s+(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{1,2}:\d{2}(?::\d{2})?)\s*(UTC|GMT|Z|[+-]\d{2}:?\d{2})?\b/i;
/** The date people add before or after the time: "on 2024-05-07 at 08:00", "at 08:00 UTC on 2024-05-07". */
const ON_DATE_BEFORE = /\bon\s+(\d{4}-\d{2}-\d{2}),?\s+at\s+\d/i;
const ON_DATE_AFTER = /^,?\s+on\s+(\d{4}-\d{2}-\d{2})\b/i;

export function proseTime(text: string): ProseTime | undefined {
  const m = AT_TIME.exec(text);
  if (!m) return undefined;
  const [, written, clock, zoneRaw] = m;
  const date = written ?? ON_DATE_AFTER.exec(text.slice(m.index + m[0].length))?.[1] ?? ON_DATE_BEFORE.exec(text)?.[1];
  const [h, min, s = '00'] = clock.split(':');
  if (Number(h) > 23 || Number(min) > 59 || Number(s) > 59) return undefined;
  const hms = `${h.padStart(2, '0')}:${min}:${s}`;
  const utc = !!zoneRaw && /^(?:UTC|GMT|Z)$/i.test(zoneRaw);
  const offset = zoneRaw && !utc ? zoneRaw.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2') : undefined;
  const zone: Record<string, string> = utc ? {} : { zone: offset ?? 'unknown' };
  if (!date) return { attrs: { time: hms, ...zone } };
  const d = new Date(`${date}T${hms}${offset ?? 'Z'}`);
  if (Number.isNaN(d.getTime())) return undefined;
  return { at: d.toISOString(), attrs: zone };
}
