import { describe, expect, it } from 'vitest';
import { expandFacts, foldFacts, occurrences } from '../../src/facts/fold.js';
import { sortFacts } from '../../src/facts/order.js';
import type { Fact } from '../../src/facts/schema.js';

/**
 * Step: "a busy log repeats the same line thousands of times". pushcheck keeps
 * one fact with a count, and nothing a derivation needs is lost: unfolding
 * gives back every observation, with its time, line, member and the
 * attributes that named that one occurrence.
 */

const BUNDLE = 'sysdiagnose_2026.11.22.tar.gz';
const ROOT = 'sysdiagnose_2026.11.22_10-00-00+0000_iPhone-OS_iPhone_22A100';
const t = (s: number) => new Date(Date.UTC(2026, 10, 22, 9, 0, s)).toISOString();

/** apsd "Received push notification" lines in two logs of one bundle: the value of each is its own time. */
const received = (member: string, line: number, s: number): Fact => ({
  name: 'device.log.push_received',
  value: t(s),
  at: t(s),
  source: { kind: 'file', input: BUNDLE, member: `${ROOT}/${member}`, line },
  attrs: { process: 'apsd', host: 'iPhone', logged_at: t(s).replace('T', ' ').replace('Z', '+0000') },
});

/** NanoMDM status lines: every connection and command has its own id. */
const status = (line: number, s: number, value: string, connection: string, uuid?: string): Fact => ({
  name: 'mdm.command.status',
  value,
  at: t(s),
  source: { kind: 'file', input: 'nanomdm.log', line },
  attrs: { udid: '00008110-001A2C3E4F50801E', channel: 'device', connection, ...(uuid ? { command_uuid: uuid } : {}), zone: 'unknown' },
});

const evidence: Fact[] = [
  received('logs/apsd.log', 12, 1),
  received('logs/apsd.log', 40, 7),
  received('logs/apsd.log.0', 3, 2),
  { ...received('logs/apsd.log', 41, 8), attrs: { process: 'apsd', host: 'iPad' } },
  status(1, 10, 'Idle', 'c1'),
  status(2, 11, 'NotNow', 'c1', 'u-1'),
  status(3, 300, 'Idle', 'c2'),
  status(4, 301, 'NotNow', 'c2', 'u-1'),
  status(5, 302, 'Acknowledged', 'c2', 'u-2'),
  { name: 'device.log.redacted', value: false, source: { kind: 'file', input: BUNDLE, member: `${ROOT}/logs/a.log`, line: 9 } },
  { name: 'device.log.redacted', value: false, source: { kind: 'file', input: BUNDLE, member: `${ROOT}/logs/b.log`, line: 2 } },
  { name: 'server.topic', value: 'com.apple.mgmt.External.1', source: { kind: 'pasted', input: '--paste', line: 1 } },
  { name: 'server.topic', value: 'com.apple.mgmt.External.1', source: { kind: 'pasted', input: '--paste', line: 4 } },
  { name: 'case.device_id', value: '00008110-001A2C3E4F50801E', source: { kind: 'answer', question: 'q.case.device', by: 'U1' } },
  { name: 'case.device_id', value: '00008110-001A2C3E4F50801E', source: { kind: 'answer', question: 'q.case.device', by: 'U2' } },
  // Two failed pushes with the same APNs answer: derived, each its own line in the Feedback draft.
  {
    name: 'case.failed_push',
    value: '410',
    at: t(20),
    source: { kind: 'derived', how: 'push at line 7', from: ['server.push_sent'] },
    attrs: { device: 'A', push: 'nanomdm.log:7' },
  },
  {
    name: 'case.failed_push',
    value: '410',
    at: t(40),
    source: { kind: 'derived', how: 'push at line 9', from: ['server.push_sent'] },
    attrs: { device: 'A', push: 'nanomdm.log:7' },
  },
  // One per log: many logs give many of them.
  {
    name: 'device.log.push_connection',
    value: 'up',
    at: t(7),
    source: { kind: 'derived', how: 'the last of 2 events in apsd.log', from: ['device.log.push_received'] },
    attrs: { file: 'apsd.log', last_seen: t(7) },
  },
  {
    name: 'device.log.push_connection',
    value: 'up',
    at: t(2),
    source: { kind: 'derived', how: 'the last of 1 events in apsd.log.0', from: ['device.log.push_received'] },
    attrs: { file: 'apsd.log.0', last_seen: t(2) },
  },
];

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let a = seed;
  for (let i = out.length - 1; i > 0; i--) {
    a = (a * 1103515245 + 12345) >>> 0;
    const j = a % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('folding repeated observations', () => {
  const folded = foldFacts(evidence);
  const named = (name: string) => folded.filter((f) => f.name === name);

  it('keeps one fact per thing observed, with how many times it was seen and when first and last', () => {
    const rx = named('device.log.push_received');
    // The iPad line says something else (another host) and stays apart.
    expect(rx.map(occurrences)).toEqual([3, 1]);
    expect(rx[0]).toMatchObject({ value: t(1), at: t(1), fold: { count: 3, firstAt: t(1), lastAt: t(7) } });
    expect(named('device.log.redacted').map(occurrences)).toEqual([2]);
    expect(named('server.topic').map(occurrences)).toEqual([2]);
    // Statuses fold by what they say (Idle, NotNow, Acknowledged), whatever connection or command each named.
    expect(named('mdm.command.status').map((f) => [f.value, occurrences(f)])).toEqual([
      ['Idle', 2],
      ['NotNow', 2],
      ['Acknowledged', 1],
    ]);
    expect(folded.length).toBeLessThan(evidence.length);
  });

  it('gives back every observation, with its own time, line, member and occurrence attributes', () => {
    expect(sortFacts(expandFacts(folded))).toEqual(sortFacts(evidence));
  });

  it('never folds what people answered, nor derived facts that each say something of their own', () => {
    expect(named('case.device_id').map(occurrences)).toEqual([1, 1]);
    expect(named('case.failed_push').map((f) => f.at)).toEqual([t(20), t(40)]);
    // One per log, so many: folded, each log's file and time kept.
    const conn = named('device.log.push_connection');
    expect(conn.map(occurrences)).toEqual([2]);
    expect(
      expandFacts(conn)
        .map((f) => f.attrs?.file)
        .sort(),
    ).toEqual(['apsd.log', 'apsd.log.0']);
  });

  it('does not depend on the order facts come in', () => {
    const reference = JSON.stringify(sortFacts(folded));
    for (let seed = 1; seed <= 10; seed++) expect(JSON.stringify(sortFacts(foldFacts(shuffled(evidence, seed))))).toBe(reference);
  });

  it('counts the same observation read twice once, and folding folded facts changes nothing', () => {
    expect(foldFacts([...evidence, ...evidence])).toEqual(folded);
    expect(foldFacts(folded)).toEqual(folded);
    expect(foldFacts([...folded, ...foldFacts(evidence.slice(0, 3))])).toEqual(folded);
  });

  it('folds two hundred thousand status lines into one fact (no spread of them into a call)', () => {
    const lines: Fact[] = [];
    for (let i = 1; i <= 200_000; i++) lines.push(status(i, i, 'NotNow', 'c1', 'u-1'));
    const one = foldFacts(lines);
    expect(one).toHaveLength(1);
    expect(one[0].fold?.count).toBe(200_000);
    expect(expandFacts(one)).toHaveLength(200_000);
  });

  describe('a bundle whose logs come in archive order, not name order', () => {
    // Thirty logs of one bundle, each with its own lines in order; the times run over a month (beyond what a
    // fold counts in milliseconds from its first time), some lines have none and one is not a time Date writes.
    const day = 24 * 3600 * 1000;
    const logs = Array.from({ length: 30 }, (_, m) => `logs/${['apsd', 'Apsd', 'mdmd'][m % 3]}-${(m * 7919) % 101}.log`);
    const lineOf = (m: number, l: number): Fact => {
      const at =
        l === 2 && m % 5 === 0
          ? ''
          : m === 7 && l === 1
            ? '2026-11-22T09:00:00Z'
            : new Date(Date.UTC(2026, 10, 1) + ((m * 13 + l) % 40) * day + l * 1000).toISOString();
      return {
        ...received(logs[m], 10 * l + m, 0),
        value: at || 'no time',
        ...(at ? { at } : { at: undefined }),
        attrs: { process: 'apsd', host: 'iPhone', connection: `c${l % 3}` },
      };
    };
    const withoutUndefined = (f: Fact): Fact => JSON.parse(JSON.stringify(f));
    const read = (order: readonly number[], lines: (m: number) => number[]) => order.flatMap((m) => lines(m).map((l) => withoutUndefined(lineOf(m, l))));
    const archiveOrder = shuffled(
      logs.map((_, m) => m),
      3,
    );
    const nameOrder = [...archiveOrder].sort((a, b) => (`${ROOT}/${logs[a]}` < `${ROOT}/${logs[b]}` ? -1 : 1));
    const lines = (m: number) => Array.from({ length: 1 + (m % 4) }, (_, i) => i + 1);
    const reference = JSON.stringify(foldFacts(read(nameOrder, lines)));

    it('folds them as it folds the same lines read in name order', () => {
      expect(JSON.stringify(foldFacts(read(archiveOrder, lines)))).toBe(reference);
      expect(expandFacts(foldFacts(read(archiveOrder, lines)))).toHaveLength(read(nameOrder, lines).length);
    });

    it('puts a log that comes back (a member read in two parts) in its place, and counts a line read twice once', () => {
      const first = archiveOrder.slice(0, 10);
      const rest = archiveOrder.slice(10);
      const head = (m: number) => lines(m).slice(0, 2);
      const tail = (m: number) => lines(m).slice(2);
      const inTwoParts = [...read(first, head), ...read(rest, lines), ...read(first, tail)];
      expect(JSON.stringify(foldFacts(inTwoParts))).toBe(reference);
      const overlapping = [...read(first, lines), ...read(rest, lines), ...read(first, (m) => lines(m).slice(1))];
      expect(JSON.stringify(foldFacts(overlapping))).toBe(reference);
    });
  });

  describe('a fold of tens of thousands of observations (its columns kept in blocks)', () => {
    const at = (i: number): string | undefined => {
      const ms = Date.UTC(2026, 10, 22, 9) + i * 1000;
      if (i % 7 === 0) return undefined; // no time
      if (i % 7 === 1) return new Date(ms + 20 * 86_400_000).toISOString(); // beyond an offset from the first
      if (i % 7 === 2) return new Date(ms).toISOString().replace('.000Z', 'Z'); // not as toISOString writes it
      return new Date(ms).toISOString();
    };
    const obs = (member: string, i: number): Fact => {
      const when = at(i);
      return {
        name: 'device.log.push_received',
        value: 'x',
        ...(when ? { at: when } : {}),
        // Past 2^31 from some line on: the line column holds numbers of any size.
        source: { kind: 'file', input: BUNDLE, member: `${ROOT}/${member}`, line: i < 6000 ? i + 1 : 3_000_000_000 + i },
        attrs: { process: 'apsd', ...(i >= 10_000 ? { command_uuid: `u${i % 3}` } : {}), ...(i % 5000 === 4999 ? { connection: `c${i}` } : {}) },
      };
    };
    // Archive order: the second log's lines first.
    const evidence = [...Array.from({ length: 9000 }, (_, i) => obs('logs/b.log', i)), ...Array.from({ length: 12_000 }, (_, i) => obs('logs/a.log', i))];
    const folded = foldFacts(evidence);

    it('gives back every observation as read', () => {
      expect(folded).toHaveLength(1);
      expect(folded[0].fold?.count).toBe(evidence.length);
      expect(sortFacts(expandFacts(folded))).toEqual(sortFacts(evidence));
    });

    it('writes its columns to JSON as plain arrays, and reads them back from there', () => {
      const stored = JSON.parse(JSON.stringify(folded)) as Fact[];
      expect(Array.isArray(stored[0].fold?.each.at)).toBe(true);
      expect(expandFacts(stored)).toEqual(expandFacts(folded));
    });
  });
});
