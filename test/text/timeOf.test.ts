import { describe, expect, it } from 'vitest';
import { timeOf } from '../../src/evidence/text/timeOf.js';
import { toIsoTime } from '../../src/facts/normalize.js';

/**
 * timeOf reckons the common shape of a log time itself rather than building
 * a date string for Date to parse. Whatever the path, a line's time must
 * come out as the general rule says: Date's reading of the ISO form, the
 * offset kept as the zone, a missing offset read as UTC and said so.
 */
function byTheRule(raw: string): ReturnType<typeof timeOf> {
  const s = raw.trim();
  if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/.test(s)) return timeOf(s);
  const at = toIsoTime(s);
  if (!at) return {};
  const offset = /(Z|[+-]\d{2}:?\d{2})$/.exec(s)?.[1];
  if (!offset) return { at, note: 'no offset in the log; read as UTC', zone: 'unknown' };
  if (offset === 'Z') return { at };
  const z = offset.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  return z === '+00:00' || z === '-00:00' ? { at } : { at, zone: z };
}

describe('the time of a log line', () => {
  it.each([
    ['2024-03-01 10:22:33.123456+0100', { at: '2024-03-01T09:22:33.123Z', zone: '+01:00' }],
    ['2026-11-22 09:26:16.169+0000', { at: '2026-11-22T09:26:16.169Z' }],
    ['2024-02-28 00:00:02.779000-0800', { at: '2024-02-28T08:00:02.779Z', zone: '-08:00' }],
    ['2024-03-01T10:22:33Z', { at: '2024-03-01T10:22:33.000Z' }],
    ['2024-03-01 10:22:33.1', { at: '2024-03-01T10:22:33.100Z', note: 'no offset in the log; read as UTC', zone: 'unknown' }],
    ['2024-12-31 23:30:00-01:00', { at: '2025-01-01T00:30:00.000Z', zone: '-01:00' }],
    ['2024-03-01 10:22:33-00:00', { at: '2024-03-01T10:22:33.000Z' }],
  ])('%s', (raw, want) => {
    expect(timeOf(raw)).toEqual(want);
    expect(byTheRule(raw)).toEqual(want);
  });

  it('agrees with the general rule on odd and invalid times too', () => {
    const odd = [
      '2024-02-29 12:00:00+0000',
      '2023-02-29 12:00:00+0000',
      '2024-02-30 12:00:00+0000',
      '2024-04-31 10:00:00',
      '2024-13-01 10:00:00',
      '2024-00-10 10:00:00',
      '2024-01-00 10:00:00',
      '2024-01-01 24:00:00Z',
      '2024-01-01 23:60:00Z',
      '2024-01-01 23:59:60Z',
      '2024-01-01 10:00:00+2400',
      '2024-01-01 10:00:00+0160',
      '2024-01-01 10:00:00+23:59',
      '0999-01-01 00:00:00Z',
      '0099-06-01 00:00:00Z',
      '9999-12-31 23:59:59-0100',
      '2024-01-01 10:00:00.',
      '2024-01-01 10:00:00.9999999+0530',
      '2024-01-01 10:00:00 +0530',
      '2024-01-01 10:00:00 UTC',
      '2024-01-01 10:00:00z',
      '  2024-01-01 10:00:00+0530  ',
      '2024-01-01T10:00:00.5-0330',
    ];
    for (const raw of odd) expect(timeOf(raw), raw).toEqual(byTheRule(raw));
  });

  it('agrees with the general rule on many generated times', () => {
    let seed = 7;
    const r = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const two = (n: number) => String(n).padStart(2, '0');
    const offsets = ['', 'Z', '+0000', '-0000', '+0100', '-0800', '+05:30', '-09:30', '+1400', '+2359'];
    for (let i = 0; i < 5000; i++) {
      const raw = `${1990 + r(60)}-${two(r(14))}-${two(r(33))}${r(2) ? 'T' : ' '}${two(r(26))}:${two(r(61))}:${two(r(61))}${r(2) ? `.${'1234567'.slice(0, 1 + r(7))}` : ''}${offsets[r(offsets.length)]}`;
      expect(timeOf(raw), raw).toEqual(byTheRule(raw));
    }
  });
});
