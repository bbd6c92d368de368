import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Limits } from '../../src/evidence/types.js';
import type { Report } from '../../src/report/types.js';
import { tar, tgz, zip } from '../archive/support.js';
import { hostile, MAGIC } from './cases.js';
import { emptyEntriesZip, overlappingZip, sharedStreamZip } from './zipFiles.js';

/**
 * The hostile inputs of issue 11, made here at test time, each run through
 * the real CLI (in-process, with limits small enough that the shape, not
 * the size, is what is tested; `npm run bench:hostile` runs them full size
 * and times them). Each one must end normally with a JSON report whose
 * problems name the input and say what was wrong.
 */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.text += chunk.toString('utf8');
    cb();
  }
}

async function diagnose(args: string[], opts: { limits?: Partial<Limits>; stdin?: Readable } = {}): Promise<{ code: number; report: Report; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await main(['diagnose', ...args, '--format', 'json'], { out, err, isTTY: false, ...opts });
  return { code, report: JSON.parse(out.text || '{}') as Report, err: err.text };
}

const problemsOf = (r: Report, input: string) => r.problems.filter((p) => p.input === input);
const codesOf = (r: Report, input: string) => problemsOf(r, input).map((p) => p.code);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pushcheck-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: Buffer | string) => {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  return p;
};

describe('lines that make backtracking patterns blow up', () => {
  const SMALL_LINES: Partial<Limits> = { maxLineLength: 8192 };

  it('twelve lines of 65,000 backslashes: as a provider log, inside a .tar.gz, and pasted', async () => {
    const text = hostile.backslashLines(12, 65_000);
    const log = file('provider.log', text);
    const archive = file('provider.tar.gz', tgz([{ path: 'provider.log', data: text }]));
    const pasted = file('pasted.txt', text);
    const { code, report } = await diagnose([log, archive, '--paste-file', pasted], { limits: SMALL_LINES });
    expect(code).toBe(0);
    for (const input of [log, archive, pasted]) expect(codesOf(report, input), input).not.toEqual([]);
    expect(codesOf(report, log)).toContain('text.line_too_long');
  });

  it.each(hostile.fragmentLogs())('64K-character lines of repeated fragments as $kind', async ({ name, text, kind }) => {
    const path = file(`fragments/${kind}/${name}`, text);
    const { code, report } = await diagnose([path], { limits: SMALL_LINES });
    expect(code).toBe(0);
    expect(codesOf(report, path), kind).not.toEqual([]);
  });
});

describe('every input is bounded', () => {
  it('a paste from /dev/zero, /dev/urandom or a FIFO without a writer is refused by its type, never opened', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const { code, report } = await diagnose(['--paste-file', '/dev/zero', '--paste-file', '/dev/urandom', '--paste-file', fifo, '/dev/zero', fifo]);
    expect(code).toBe(0);
    for (const input of ['/dev/zero', '/dev/urandom', fifo]) expect(codesOf(report, input), input).toContain('input.not_a_file');
    expect(
      problemsOf(report, fifo)
        .map((p) => p.message)
        .join(' '),
    ).toMatch(/FIFO/);
  });

  it('standard input that never ends is read up to the paste limit, with a problem saying it was cut', async () => {
    const endless = Readable.from(
      (function* () {
        for (;;) yield Buffer.alloc(64 * 1024);
      })(),
    );
    const { code, report } = await diagnose(['--paste-file', '-'], { stdin: endless, limits: { maxMemberBytes: 1024 * 1024 } });
    expect(code).toBe(0);
    expect(codesOf(report, 'standard input')).toContain('input.too_large');
    expect(endless.destroyed).toBe(true);
  });

  it('an XML plist of more values than the cap is refused before it is built', async () => {
    const path = file('huge/MDM.plist', `<?xml version="1.0"?><plist><array>${'<dict/>'.repeat(200_001)}</array></plist>`);
    const { code, report } = await diagnose([path]);
    expect(code).toBe(0);
    expect(codesOf(report, path)).toContain('plist.too_many_objects');
  });

  it('a JSON document of more values than the cap is not parsed', async () => {
    const path = file('huge/webhook.json', `[${'{"checkin_event":{}},'.repeat(100_001)}{}]`);
    const { code, report } = await diagnose([path]);
    expect(code).toBe(0);
    expect(
      problemsOf(report, path)
        .map((p) => p.message)
        .join(' '),
    ).toMatch(/more than 200000 JSON values/);
  });

  it('a zip whose 1,000 entries share one stream is refused, naming the first entry', async () => {
    const path = file('shared.zip', sharedStreamZip(1000, 1024 * 1024));
    const { code, report } = await diagnose([path]);
    expect(code).toBe(0);
    const p = problemsOf(report, path).find((x) => x.code === 'archive.overlapping_entries');
    expect(p).toMatchObject({ member: 'logs/0.log', message: expect.stringMatching(/1000 entries/) });
  });

  it('a zip whose entries run into each other is refused', async () => {
    const path = file('overlap.zip', overlappingZip(300));
    const { code, report } = await diagnose([path]);
    expect(code).toBe(0);
    expect(codesOf(report, path)).toContain('archive.overlapping_entries');
    expect(report.facts).toEqual([]);
  });

  it('a zip of tens of thousands of empty entries is listed, and says it held nothing', async () => {
    const path = file('empty.zip', emptyEntriesZip(70_000));
    const { code, report } = await diagnose([path]);
    expect(code).toBe(0);
    expect(codesOf(report, path)).toEqual(['input.unrecognised']);
  });

  it('a zip member that fails its CRC-32 is named, and nothing read from it is used', async () => {
    const plist = `<?xml version="1.0"?><plist><dict><key>PushMagic</key><string>${MAGIC}</string><key>Topic</key><string>com.apple.mgmt.External.x</string></dict></plist>`;
    const good = zip([{ path: 'MDM.plist', data: plist }]);
    expect(await factValues(file('good.zip', good))).toContain(MAGIC);
    const bad = Buffer.from(good);
    bad[good.indexOf(MAGIC)] ^= 1; // one flipped bit in the stored data
    const path = file('bad.zip', bad);
    const { code, report } = await diagnose([path]);
    expect(code).toBe(0);
    expect(problemsOf(report, path)).toEqual([expect.objectContaining({ member: 'MDM.plist', code: 'archive.checksum_mismatch' })]);
    expect(report.facts).toEqual([]);
  });

  it('a .tar.gz expanding to far more log text than the budget: the rest is skipped, naming the member', async () => {
    const lines = hostile.apsdLines(20_000);
    const path = file('lines.tar.gz', tgz(Array.from({ length: 6 }, (_, i) => ({ path: `logs/apsd.${i}.log`, data: lines }))));
    const { code, report } = await diagnose([path], { limits: { maxTextBytes: 2 * Buffer.byteLength(lines) + 1000 } });
    expect(code).toBe(0);
    const budget = problemsOf(report, path).find((p) => p.code === 'input.text_budget');
    expect(budget?.member).toBe('logs/apsd.2.log');
    expect(problemsOf(report, path).find((p) => p.code === 'input.text_skipped')?.message).toMatch(/^3 more text files/);
  });

  it('zip data inflated out of a gzip is spooled only up to the spool limit, and the spool is removed', async () => {
    const tmp = mkdtempSync(join(dir, 'spool-'));
    const inner = zip([{ path: 'logs/big.log', data: Buffer.alloc(4 * 1024 * 1024, 'x') }]);
    const path = file('nested.zip.gz', gzipSync(inner));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const { code, report } = await diagnose([path], { limits: { maxSpoolBytes: 1024 * 1024 } });
      expect(code).toBe(0);
      expect(codesOf(report, path)).toContain('archive.spool_too_large');
    } finally {
      // Assigning undefined would leave the string "undefined" for every later test in this process.
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('after 100 problems, the one saying why reading stopped is still listed', async () => {
    const links = Array.from({ length: 150 }, (_, i) => ({ path: `l/${i}`, type: 'symlink' as const, linkTarget: '/etc/passwd' }));
    const path = file('links.tar', tar([...links, ...links]));
    const { code, report } = await diagnose([path], { limits: { maxEntries: 250 } });
    expect(code).toBe(0);
    expect(codesOf(report, path)).toContain('archive.too_many_entries');
    expect(codesOf(report, path)).toContain('input.more_problems');
  });

  // The example's server-values.txt used to be this case; a small file of values is now read like a paste (test/paste/valuesFile.test.ts).
  it('an input that gives neither a fact nor a problem says it was not recognised (a note in prose given as a path)', async () => {
    const path = file('ticket-notes.txt', 'Customer says the iPad stopped taking commands on Monday.\nNo changes on the server side that we know of.\n');
    const { code, report } = await diagnose([path]);
    expect(code).toBe(0);
    expect(codesOf(report, path)).toEqual(['input.unrecognised']);
  });

  it('a Secure Mail events table of 20,000 rows written every row differently is read whole, folded by kind of step and outcome', async () => {
    const path = file('sm/CtxLog_APNS_Events.csv', hostile.apnsEventsCsv(20_000));
    const { code, report } = await diagnose([path]);
    expect(code).toBe(0);
    // Every row counts: one event per row, one step outcome per row, whatever was folded.
    const rows = (name: string) => report.facts.filter((f) => f.fact === name).reduce((n, f) => n + (f.count ?? 1), 0);
    expect(rows('securemail.apns_event')).toBe(20_000);
    expect(rows('securemail.apns.failed_operation') + rows('securemail.apns.succeeded_operation')).toBe(20_000);
    expect(problemsOf(report, path).find((p) => p.code === 'securemail.csv_folded')?.message).toMatch(/19800 row\(s\) wrote their step or status/);
    expect(report.facts.length).toBeLessThan(1_000);
    // The latest registration (row 20,000, a success) decides the subscription state, folded or not.
    expect(report.facts.find((f) => f.fact === 'securemail.apns.last_subscription_status')?.value).toBe('success');
  });
});

async function factValues(path: string): Promise<string[]> {
  const { report } = await diagnose([path]);
  return report.facts.map((f) => String(f.value));
}
