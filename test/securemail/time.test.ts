import { describe, expect, it } from 'vitest';
import { findTimes, parseTime, parseTimeZoned } from '../../src/evidence/securemail/time.js';

/** parseTime reads a time at the start of a cell directly; it must give what the full scan gives first. */
describe('the first time in a cell, read directly or by the full scan, is the same', () => {
  it.each([
    ['01-Dec-2016 12:47:19:310 (+0000)', '2016-12-01T12:47:19.310Z'],
    ['02-Dec-2016 08:00:01.100 (+0100)', '2016-12-02T07:00:01.100Z'],
    ['2016-12-03 09:00:00', '2016-12-03T09:00:00.000Z'],
    ['2016-12-03T09:00:00.5Z and 01-Dec-2016 12:00:00', '2016-12-03T09:00:00.500Z'],
    ['12/01/2016 1:05 PM', '2016-12-01T13:05:00.000Z'],
    ['31-Foo-2016 12:00:00 then 2016-12-03 09:00:00', '2016-12-03T09:00:00.000Z'],
    ['2016-13-03 09:00:00 then 01-Dec-2016 10:00:00', '2016-12-01T10:00:00.000Z'],
    ['step failed at 01-Dec-2016 12:47:19', '2016-12-01T12:47:19.000Z'],
    ['no time here', null],
  ])('%s', (cell, iso) => {
    expect(parseTime(cell)).toBe(iso);
    expect(findTimes(cell)[0]?.iso ?? null).toBe(iso);
  });
});

/** Excel drops the zone when it re-saves a Secure Mail table: such a time is a wall clock, and says so. */
describe('whether a time was written with its zone', () => {
  it.each([
    ['01-Dec-2016 12:47:19:310 (+0000)', '2016-12-01T12:47:19.310Z', false],
    ['02-Dec-2016 08:00:01.100 (+0100)', '2016-12-02T07:00:01.100Z', false],
    ['2016-12-03T09:00:00.5Z', '2016-12-03T09:00:00.500Z', false],
    ['2016-12-03 09:00:00', '2016-12-03T09:00:00.000Z', true],
    ['11/28/2026 14:03', '2026-11-28T14:03:00.000Z', true],
    ['12/01/2016 1:05 PM', '2016-12-01T13:05:00.000Z', true],
    ['01-Dec-2016 12:47:19:310', '2016-12-01T12:47:19.310Z', true],
  ])('%s', (text, iso, zoneLess) => {
    expect(parseTimeZoned(text)).toEqual({ iso, zoneLess });
    expect(findTimes(text)[0]).toMatchObject({ iso, zoneLess });
  });
});
