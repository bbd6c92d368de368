import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch.js';
import { BROKEN, SAMPLES, SHAPES } from './corpus.js';
import { cpuMs } from '../support/cpu.js';
import { expectReadLikePlain } from './likePlain.js';
import { outcomeOf } from './measure.js';

/**
 * An engineer hands over the log as it came to them: saved by Notepad, pulled
 * out of Docker or journald, exported from CloudWatch or a log console,
 * zipped by Finder, reformatted by jq. Whatever the form, pushcheck must read
 * the same lines out of it as out of the plain log, and come to the same
 * verdict, without a word about the wrapping.
 */
let n = 0;
const dir = () => `${scratchDir('pushcheck-formats-')}/${++n}`;

describe.each(Object.entries(SAMPLES))('the %s', (key, sample) => {
  const shapes = SHAPES.filter((s) => s.of.includes(key as keyof typeof SAMPLES));
  it.each(shapes.map((s) => [s.name, s] as const))('%s gives the facts and verdict of the plain log, and no problem', async (_name, shape) => {
    await expectReadLikePlain(dir, sample, shape);
  });
});

describe('a log that is damaged in its wrapping', () => {
  it.each(BROKEN.map((b) => [b.name, b] as const))('%s: says so, naming the file, and keeps what it could read', async (_name, broken) => {
    const got = await outcomeOf(dir(), [{ name: broken.file, data: broken.data }]);
    const problem = got.problems.find((p) => broken.problem.test(p.message));
    expect(problem, JSON.stringify(got.problems)).toBeDefined();
    expect(problem!.input).toMatch(new RegExp(`${broken.file.replace('.', '\\.')}$`));
    expect(got.facts.length).toBeGreaterThan(0);
  });
});

describe('a wrapped log of long lines', () => {
  it('is unwrapped in linear time: a line made to make a pattern backtrack costs no more than its length', async () => {
    const { unwrapperFor } = await import('../../src/evidence/text/unwrap.js');
    // Inner lines that open like JSON and repeat the time keys' words without ever holding one.
    const hostile = (n: number) => `{${'"ts" "time" "timestamp" {'.repeat(n / 26)}`;
    const docker = (n: number) =>
      `${Array.from({ length: 20 }, () => JSON.stringify({ log: `${hostile(n)}\n`, stream: 'stdout', time: '2026-11-20T09:00:00.000000000Z' })).join('\n')}\n`;
    const timeOf = (n: number) => {
      const text = docker(n);
      const started = cpuMs();
      const u = unwrapperFor(text)!;
      u.push(text);
      u.end();
      return cpuMs() - started;
    };
    timeOf(16384);
    const small = Math.max(timeOf(16384), 5);
    const large = timeOf(131072);
    // Eight times the length: linear work is about eight times slower, quadratic sixty-four.
    expect(large).toBeLessThan(small * 24);
  });

  it('is read through a syslog prefix in linear time, whatever repeats in the line', async () => {
    const { unwrapperFor } = await import('../../src/evidence/text/unwrap.js');
    // Prefixes that open like syslog and never close: hosts without a program, structured data without its bracket, tags without a colon.
    const shapes = (n: number) => [
      `<30>1 2026-11-20T09:00:00Z mdm-1 nanomdm 812 - - ts=2026-11-20T09:00:00Z ${'a '.repeat(n / 2)}`,
      `<30>1 2026-11-20T09:00:00Z mdm-1 nanomdm 812 ID [x a="${'\\]'.repeat(n / 3)}`,
      `Nov 20 09:00:00 ${'mdm-1'.repeat(n / 5)}`,
      `Nov 20 09:00:00 mdm-1 ${'nanomdm['.repeat(n / 8)}`,
      `2026-11-20T09:00:00Z mdm-1 ${'x'.repeat(n)}[1`,
    ];
    const timeOf = (n: number) => {
      const text = `${shapes(n)
        .flatMap((l) => [l, l])
        .join('\n')}\n`;
      const started = cpuMs();
      // A head of syslog lines chose the unwrapper; the hostile lines come after it.
      const u = unwrapperFor('<30>1 2026-11-20T09:00:00Z mdm-1 nanomdm 812 - - level=info\n')!;
      expect(u.label).toBe('syslog file');
      u.push(text);
      u.end();
      return cpuMs() - started;
    };
    timeOf(16384);
    const small = Math.max(timeOf(16384), 5);
    const large = timeOf(131072);
    expect(large).toBeLessThan(small * 24);
  });

  it('takes a kubectl prefix before a Go log line for kubectl, not for syslog (its time has colons, no program)', async () => {
    const { unwrapperFor } = await import('../../src/evidence/text/unwrap.js');
    const u = unwrapperFor('2026-11-20T09:00:00.123456789Z 2021/05/30 12:26:18 level=info service=nanomdm msg=TokenUpdate\n')!;
    expect(u.label).toBe('kubectl logs --timestamps output');
  });

  it("leaves a program's own lines alone: a level and a component are no syslog host and program, and a timestamp= further in is no time of the line", async () => {
    const { unwrapperFor } = await import('../../src/evidence/text/unwrap.js');
    const token = 'a'.repeat(64);
    expect(
      unwrapperFor(
        `2026-11-30T10:00:00Z WARN apns: POST https://api.push.apple.com/3/device/${token} status=410 reason=Unregistered timestamp=1764490000000\n`,
      ),
    ).toBeUndefined();
    const u = unwrapperFor(`<30>Nov 30 10:00:00 mdm-1 provider[812]: POST /3/device/${token} status=410 timestamp=1764490000000\n`)!;
    // The prefix stays (its <PRI> dropped): the line is dated by syslog, not by when the token went stale.
    expect(u.push(`<30>Nov 30 10:00:00 mdm-1 provider[812]: POST /3/device/${token} status=410 timestamp=1764490000000\n`)).toBe(
      `Nov 30 10:00:00 mdm-1 provider[812]: POST /3/device/${token} status=410 timestamp=1764490000000\n`,
    );
  });

  it("dates a provider's Docker line by Docker when the line's only time is an APNs answer's timestamp= further in", async () => {
    const { unwrapperFor } = await import('../../src/evidence/text/unwrap.js');
    const line = `POST /3/device/${'b'.repeat(64)} status=410 reason=Unregistered timestamp=1764490000000`;
    const text = `${JSON.stringify({ log: `${line}\n`, stream: 'stdout', time: '2026-11-30T10:00:00.123456789Z' })}\n`;
    const u = unwrapperFor(text)!;
    expect(u.push(text) + u.end()).toBe(`2026-11-30T10:00:00.123Z ${line}\n`);
  });

  it("reads a server's own JSON log with @timestamp and message as it is: its fields (the device, the status) are not a shipper's", async () => {
    const { unwrapperFor } = await import('../../src/evidence/text/unwrap.js');
    const line = JSON.stringify({
      '@timestamp': '2026-11-20T10:00:00.000Z',
      level: 'error',
      message: 'push failed',
      agent: 'MDM/1.0',
      input: 'InstallProfile',
      udid: '00008110-001A2C3E4F50801E',
      status: 410,
    });
    expect(unwrapperFor(`${line}\n`)).toBeUndefined();
  });
});
