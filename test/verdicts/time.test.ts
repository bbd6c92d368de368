import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/facts/schema.js';
import { canonicalZone, momentOf, order, wallClockToUtc } from '../../src/facts/time.js';

/** When is "a before b" known? The rules every comparison of times in pushcheck goes through. */

const inLog = (log: string, at: string, line: number, zone?: string): Pick<Fact, 'at' | 'attrs' | 'source'> => ({
  at,
  source: { kind: 'file', input: log, line },
  ...(zone ? { attrs: { zone } } : {}),
});
const m = (f: Pick<Fact, 'at' | 'attrs' | 'source'>) => momentOf(f)!;

describe('ordering two events', () => {
  it.each([
    ['same log, later second', inLog('a.log', '2024-03-04T09:14:59.000Z', 1), inLog('a.log', '2024-03-04T09:14:58.000Z', 9), 'after'],
    ['same log, same second: the line order decides', inLog('a.log', '2024-03-04T09:14:58.000Z', 3), inLog('a.log', '2024-03-04T09:14:58.000Z', 7), 'before'],
    [
      'same log, same second, zone-less: still the line order',
      inLog('a.log', '2024-03-04T09:14:58.000Z', 8, 'unknown'),
      inLog('a.log', '2024-03-04T09:14:58.000Z', 7, 'unknown'),
      'after',
    ],
    [
      'two logs, whole seconds, the same second: cannot tell',
      inLog('a.log', '2024-03-04T09:14:58.000Z', 3),
      inLog('b.log', '2024-03-04T09:14:58.400Z', 1),
      'unknown',
    ],
    ['two logs, a second apart', inLog('a.log', '2024-03-04T09:14:58.000Z', 3), inLog('b.log', '2024-03-04T09:14:59.400Z', 1), 'before'],
    [
      'a zone-less log against another, an hour apart: cannot tell',
      inLog('a.log', '2024-03-04T10:14:58.000Z', 3, 'unknown'),
      inLog('b.log', '2024-03-04T09:14:59.400Z', 1),
      'unknown',
    ],
    [
      'a zone-less log against another, two days apart: no zone closes that gap',
      inLog('a.log', '2024-03-02T10:14:58.000Z', 3, 'unknown'),
      inLog('b.log', '2024-03-04T09:14:59.400Z', 1),
      'before',
    ],
    [
      'a rotated log, the same second: the older file (.1) first',
      inLog('srv/nanomdm.log', '2024-03-04T09:14:58.000Z', 1),
      inLog('srv/nanomdm.log.1', '2024-03-04T09:14:58.000Z', 900),
      'after',
    ],
    [
      'a rotated log, zone-less, an hour apart: one clock, so the times decide',
      inLog('srv/nanomdm.log.2.gz', '2024-03-04T09:14:58.000Z', 3, 'unknown'),
      inLog('srv/nanomdm.log.1.gz', '2024-03-04T10:14:58.000Z', 1, 'unknown'),
      'before',
    ],
    [
      'dated rotations, the same second: the earlier date first',
      inLog('srv/micromdm.log.2026-11-30', '2026-12-01T00:00:00.000Z', 5000),
      inLog('srv/micromdm.log.2026-12-01', '2026-12-01T00:00:00.000Z', 1),
      'before',
    ],
    [
      'same names in two folders (two servers): cannot tell',
      inLog('a/nanomdm.log.1', '2024-03-04T09:14:58.000Z', 3),
      inLog('b/nanomdm.log', '2024-03-04T09:14:58.000Z', 1),
      'unknown',
    ],
    [
      'a numbered and a dated rotation: the names say nothing of each other',
      inLog('srv/nanomdm.log.1', '2024-03-04T09:14:58.000Z', 3),
      inLog('srv/nanomdm.log.2024-03-03', '2024-03-04T09:14:58.000Z', 1),
      'unknown',
    ],
  ] as const)('%s', (_what, a, b, expected) => {
    expect(order(m(a), m(b))).toBe(expected);
  });
});

describe('zones people answer with', () => {
  it.each([
    ['UTC', 'UTC'],
    ['gmt', 'UTC'],
    ['+0200', '+02:00'],
    ['UTC+2', '+02:00'],
    ['GMT-05:00', '-05:00'],
    ['-8', '-08:00'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['America/Los_Angeles', 'America/Los_Angeles'],
    ['Mars/Olympus', null],
    ['+15:00', null],
    ['next tuesday', null],
  ])('%s → %s', (raw, expected) => {
    expect(canonicalZone(raw)).toBe(expected);
  });

  it('turns a wall-clock time into UTC with the offset that applied, across daylight saving', () => {
    expect(wallClockToUtc(Date.parse('2024-03-04T10:14:58Z'), 'Europe/Berlin')).toEqual({ ms: Date.parse('2024-03-04T09:14:58Z'), offset: '+01:00' });
    expect(wallClockToUtc(Date.parse('2024-07-04T10:14:58Z'), 'Europe/Berlin')).toEqual({ ms: Date.parse('2024-07-04T08:14:58Z'), offset: '+02:00' });
    expect(wallClockToUtc(Date.parse('2024-03-04T10:14:58Z'), '-05:00')).toEqual({ ms: Date.parse('2024-03-04T15:14:58Z'), offset: '-05:00' });
  });
});
