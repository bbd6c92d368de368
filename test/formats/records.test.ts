import { describe, expect, it } from 'vitest';
import { expandFacts } from '../../src/facts/fold.js';
import { readPaste, type Fact } from '../../src/index.js';
import { ctxWith } from '../archive/support.js';
import { cpuMs } from '../support/cpu.js';
import { scratchDir } from '../support/scratch.js';
import { SAMPLES, SHAPES } from './corpus.js';
import { outcomeOf } from './measure.js';

/**
 * A provider logs a failed push over several lines: the record's first line (its time, the device
 * token), then the APNs answer's body pretty-printed, or a stack trace. The answer belongs to that
 * record: it is read with the record's time and token and named by the record's first line. A log of
 * several devices holds other records and other writers' lines, which are never joined to it.
 */
let n = 0;
const dir = () => `${scratchDir('pushcheck-records-')}/${++n}`;

const T1 = '5a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const T2 = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const T3 = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

/** The APNs answers read, each as `line status reason token at`. */
async function answersOf(text: string, name = 'provider.log'): Promise<string[]> {
  const got = await outcomeOf(dir(), [{ name, data: Buffer.from(text) }]);
  return got.lines
    .map((l) => ({ line: l.line, f: JSON.parse(l.fact) as Fact & { attrs?: Record<string, string> } }))
    .filter(({ f }) => f.name === 'apns.response')
    .map(({ line, f }) => `${line} ${f.attrs?.status} ${f.attrs?.reason ?? '-'} ${f.attrs?.token ?? '-'} ${f.at ?? '-'}`)
    .sort();
}

describe('a failed push logged over several lines', () => {
  it("is read as its record's: the reason with the record's time and token, named by the record's first line", async () => {
    const text = [
      `2026-11-20 10:02:31,002 INFO  push sent for token ${T1} apns-id=3F1E2D4C-5B6A-4978-8695-A4B3C2D1E0F9 status=200`,
      `2026-11-20 10:12:33,120 ERROR push failed for token ${T2}`,
      '{',
      '  "reason": "BadDeviceToken"',
      '}',
      '',
    ].join('\n');
    expect(await answersOf(text)).toEqual([`1 200 - ${T1} 2026-11-20T10:02:31.000Z`, `2 400 BadDeviceToken ${T2} 2026-11-20T10:12:33.000Z`]);
  });

  it("never joins another writer's line without a time to the record above it, nor the next device's record", async () => {
    const text = [
      `2026-11-20 10:12:33,120 ERROR push failed for token ${T2} status=400`,
      '{',
      '  "reason": "BadDeviceToken"',
      '}',
      // Printed by another part of the server, without a time: not a continuation of the record above.
      `apns: token=${T3} status=410 reason=Unregistered`,
      `2026-11-20 10:12:34,500 INFO  push sent for token ${T1} apns-id=7A6B5C4D-3E2F-4A1B-9C8D-7E6F5A4B3C2D status=200`,
      '',
    ].join('\n');
    expect(await answersOf(text)).toEqual([
      `1 400 BadDeviceToken ${T2} 2026-11-20T10:12:33.000Z`,
      `5 410 Unregistered ${T3} -`,
      `6 200 - ${T1} 2026-11-20T10:12:34.000Z`,
    ]);
  });

  it('reads the same when pasted as when given as a file', async () => {
    const shape = SHAPES.find((s) => s.name.startsWith("provider log with the APNs answer's body pretty-printed"))!;
    const weighed = (facts: Fact[]) =>
      expandFacts(facts)
        .map(({ source: _source, ...f }) => JSON.stringify(f))
        .sort();
    const plain = await readPaste(SAMPLES.provider.plain, 'pasted text', ctxWith());
    const got = await readPaste(shape.make(SAMPLES.provider)[0]!.data.toString('utf8'), 'pasted text', ctxWith());
    expect(plain.facts.length).toBeGreaterThan(0);
    expect(weighed(got.facts)).toEqual(weighed(plain.facts));
  });

  it("leaves a device's log show export alone: its own reader knows its messages over several lines", async () => {
    const { unwrapperFor } = await import('../../src/evidence/text/unwrap.js');
    const head = [
      '2026-11-20 10:00:01.130000+0000 0x2f11     Default     0x0                  231    0    mdmd: Rejecting MDM push dictionary',
      '    {',
      '        Topic = "com.apple.mgmt.External.6c2f4e1a";',
      '    }',
      '',
    ].join('\n');
    expect(unwrapperFor(head)).toBeUndefined();
  });

  it('reads a log whose records are all one line each as it is', async () => {
    const { unwrapperFor } = await import('../../src/evidence/text/unwrap.js');
    expect(unwrapperFor(SAMPLES.provider.plain)).toBeUndefined();
  });

  it('joins a record in linear time, however many lines go on under it, and no more than a record can hold', async () => {
    const { unwrapperFor } = await import('../../src/evidence/text/unwrap.js');
    // A dump of many indented lines, some long and opening like an exception name, under one record.
    const text = (k: number) =>
      `2026-11-20 10:12:33,120 ERROR push failed\n${Array.from({ length: k }, (_, i) => (i % 2 ? `${'a.'.repeat(150)}B` : `  "k${i}": "${'a.'.repeat(200)}"`)).join('\n')}\n`;
    const timeOf = (k: number) => {
      const t = text(k);
      const started = cpuMs();
      const u = unwrapperFor(t)!;
      const out = u.push(t) + u.end();
      const took = cpuMs() - started;
      // The first record holds at most a few kilobytes; the rest goes on as lines of their own.
      expect(out.split('\n', 1)[0]!.length).toBeLessThan(8200);
      expect(out.split('\n').length).toBeGreaterThan(k / 2);
      return took;
    };
    timeOf(2000);
    const small = Math.max(timeOf(2000), 5);
    const large = timeOf(16000);
    expect(large).toBeLessThan(small * 24);
  });
});

describe('a log console export listing the newest row first', () => {
  it('is read oldest first: a NotNow and the Acknowledged after it keep their order', async () => {
    const shape = SHAPES.find((s) => s.name.startsWith('Datadog Log Explorer CSV export'))!;
    const [file] = shape.make(SAMPLES.server);
    // The newest row (the Acknowledged) is the file's first.
    expect(file!.data.toString('utf8').split('\n')[1]).toContain('status=Acknowledged');
    const plain = await outcomeOf(dir(), [{ name: SAMPLES.server.file, data: SAMPLES.server.plain }]);
    const got = await outcomeOf(dir(), [file!]);
    expect(got.verdict).toEqual(plain.verdict);
    expect(got.verdict).toContain('notnow.not_resent=ruled_out');
  });

  it('says so when its rows are in no one order, and reads them as the file has them', async () => {
    const rows = [
      ['2026-11-20T10:00:03.000Z', 'a'],
      ['2026-11-20T10:00:01.000Z', 'b'],
      ['2026-11-20T10:00:02.000Z', 'c'],
    ];
    const { unwrapperFor } = await import('../../src/evidence/text/unwrap.js');
    const text = `Date,Host,Service,Message\n${rows.map(([at, m]) => `"${at}","h","s","${m}"`).join('\n')}\n`;
    const u = unwrapperFor(text)!;
    expect(u.label).toBe('Datadog Log Explorer CSV export');
    const out = u.push(text) + u.end();
    expect(out.split('\n').map((l) => l.slice(-1))).toEqual(['a', 'b', 'c', '']);
    expect(u.problems.map((p) => p.code)).toEqual(['wrapper.unordered']);
  });
});
