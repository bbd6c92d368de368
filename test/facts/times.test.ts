import { describe, expect, it } from 'vitest';
import { expandFacts, foldFacts } from '../../src/facts/fold.js';
import { toIsoTime } from '../../src/facts/normalize.js';
import type { Fact } from '../../src/facts/schema.js';

/**
 * Reading a log's times line after line takes shortcuts (a day already seen is not parsed again);
 * each time must still come out as parsing it on its own gives: the same UTC instant, or no time
 * when the text is not a real one.
 */

/** Parsing one time on its own, as Date reads the ISO form. */
function parsedAlone(raw: string): string | null {
  const m = raw.trim().match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(\.\d+)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i);
  if (!m) return null;
  const frac = m[4] ? m[4].slice(0, 4) : '';
  const tz = !m[5] || /^(Z|UTC|GMT)$/i.test(m[5]) ? 'Z' : m[5].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const d = new Date(`${m[1]}T${m[2]}${m[3] ?? ':00'}${frac}${tz}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

describe('a log read line after line gets the times each line says', () => {
  // In reading order: runs on one day, a zone that changes, days that do not exist between real ones.
  const lines = [
    '2024-03-01 10:22:33.123456+0100',
    '2024-03-01 10:22:34.5+0100',
    '2024-03-01 10:22:35.12+0100',
    '2024-03-01 23:59:59.999+0100',
    '2024-03-01 00:00:00-0800',
    '2024-03-01 23:30:00-08:00',
    '2024-02-29 12:00:00Z',
    '2023-02-29 12:00:00Z',
    '2023-02-28 12:00:00Z',
    '2023-02-28 12:00:60Z',
    '2023-02-28 24:00:00Z',
    '2023-02-28 24:00:01Z',
    '2023-02-31 08:00:00 UTC',
    '2023-04-30 08:00:00 GMT',
    '2023-04-31 08:00:00 GMT',
    '2023-04-30 08:60:00Z',
    '2023-12-31 23:59:59.999-14:00',
    '9999-12-31 23:59:59.999-0100',
    '0050-06-01 10:00:00Z',
    '2026-11-22T09:00:22.833Z',
    '2026-11-22T09:00:22.833+2400',
  ];
  it.each(lines)('%s', (line) => {
    expect(toIsoTime(line)).toBe(parsedAlone(line));
  });
  it('the same lines read in one pass, in order', () => {
    expect(lines.map(toIsoTime)).toEqual(lines.map(parsedAlone));
  });
});

describe('folded observations give their times back as read', () => {
  const at = [
    '2026-11-22T09:00:22.833Z',
    '2026-11-22T09:00:22.834Z',
    '2026-11-22T23:59:59.999Z',
    '2026-11-23T00:00:00.000Z',
    // Not as toISOString writes it: kept as written.
    '2026-11-23T00:00:01Z',
    '2026-11-23T00:00:02.000Z',
  ];
  const facts: Fact[] = at.map((t, i) => ({
    name: 'device.log.push_received',
    value: t,
    at: t,
    source: { kind: 'file', input: 'bundle.tar.gz', member: 'logs/apsd.log', line: i + 1 },
    attrs: { topic: 'com.apple.mgmt.External.1' },
  }));
  it('one fold, every time as it was', () => {
    const folded = foldFacts(facts);
    expect(folded).toHaveLength(1);
    expect(folded[0].fold?.count).toBe(at.length);
    expect(expandFacts(folded).map((f) => f.at)).toEqual(at);
  });
});

describe('times counted from a fold’s first come back as Date writes them', () => {
  // Around midnight, the epoch, a leap day and the last day Date writes without a sign, back and forth.
  const around = [Date.UTC(2026, 10, 22, 23, 59, 59, 990), Date.UTC(1970, 0, 1), Date.UTC(2024, 1, 29, 12), Date.UTC(9999, 11, 31, 23, 59)];
  const steps = [0, 1, 9, 10, 999, 1000, 59_999, 60_000, -1, -1000, -3_600_001, 86_400_000, -86_400_001, 7 * 86_400_000 + 3];
  it.each(around.map((ms) => [new Date(ms).toISOString(), ms] as const))('around %s', (_, ms) => {
    const at = steps.map((d) => new Date(ms + d).toISOString());
    const facts: Fact[] = at.map((t, i) => ({
      name: 'device.log.push_received',
      value: t,
      at: t,
      source: { kind: 'file', input: 'bundle.tar.gz', member: 'logs/apsd.log', line: i + 1 },
    }));
    expect(expandFacts(foldFacts(facts)).map((f) => f.at)).toEqual(at);
  });
});
