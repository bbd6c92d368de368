import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tar, tarHeader, tgz, zip } from '../test/archive/support.js';
import { hostile } from '../test/hostile/cases.js';
import { emptyEntriesZip, overlappingZip, sharedStreamZip } from '../test/hostile/zipFiles.js';

/**
 * The hostile inputs of issue 11 at full size, each run through the built
 * CLI (`node dist/cli/main.js diagnose … --format json`) in its own process:
 * prints seconds and peak RSS per case against the targets (under 30 s,
 * under 400 MB), whether the JSON report names the input in a problem, and
 * what a SIGTERM in the middle of a spool leaves in the temp dir. The unit
 * tests check the same shapes small; this checks the sizes.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const MEASURE = join(ROOT, 'bench/hostile/measure.mjs');
/** `npm run bench:hostile -- 8 GB` runs only the cases whose name holds the words. */
const only = process.argv.slice(2).join(' ');
const MAX_SECONDS = 30;
const MAX_RSS_MB = 400;
const MiB = 1 << 20;

if (!existsSync(CLI)) {
  console.error('bench:hostile runs the built CLI: npm run build first (npm run bench:hostile does)');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'pushcheck-bench-hostile-'));
const spoolTmp = join(work, 'tmp');
mkdirSync(spoolTmp);
const at = (name: string) => join(work, name);
const put = (name: string, data: Buffer | string) => {
  const p = at(name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  return p;
};

/** A gzip of a tar whose members hold `bytes` of log lines each, written as concatenated gzip members (no 8 GB buffer). */
async function bigLogTarGz(name: string, members: number, bytesEach: number): Promise<string> {
  const p = at(name);
  mkdirSync(join(p, '..'), { recursive: true });
  const out = createWriteStream(p);
  const write = (b: Buffer) => new Promise<void>((resolve, reject) => out.write(b, (e) => (e ? reject(e) : resolve())));
  const lines = Buffer.from(hostile.apsdLines(6000));
  const block = lines.subarray(0, lines.lastIndexOf(10, MiB) + 1);
  const gzBlock = gzipSync(block, { level: 9 });
  for (let m = 0; m < members; m++) {
    const blocks = Math.floor(bytesEach / block.length);
    const size = blocks * block.length;
    await write(gzipSync(tarHeader({ path: `logs/apsd.${m}.log`, size, type: '0' })));
    for (let i = 0; i < blocks; i++) await write(gzBlock);
    await write(gzipSync(Buffer.alloc((512 - (size % 512)) % 512)));
  }
  await write(gzipSync(Buffer.alloc(1024)));
  await new Promise((resolve) => out.end(resolve));
  return p;
}

/** A zip (stored) holding one .gz whose content is zip data of `bytes` bytes: what the reader must spool to read. */
function spoolBombZip(bytes: number): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  const chunk = gzipSync(Buffer.alloc(MiB), { level: 9 });
  const parts = [gzipSync(header)];
  for (let i = 0; i < bytes / MiB; i++) parts.push(chunk);
  return zip([{ path: 'inner.zip.gz', data: Buffer.concat(parts) }]);
}

interface Case {
  name: string;
  args: string[];
  /** The input the report must name in a problem. */
  input: string;
  stdin?: 'zero' | { bytes: number };
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  rssMb: number | undefined;
  stdout: string;
}

function runCli(c: Pick<Case, 'args' | 'stdin'>, opts: { onSpawn?: (kill: (s: NodeJS.Signals) => void) => void } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const proc = spawn(process.execPath, ['--import', MEASURE, CLI, 'diagnose', ...c.args, '--format', 'json'], {
      env: { ...process.env, TMPDIR: spoolTmp },
      stdio: [c.stdin ? 'pipe' : 'ignore', 'pipe', 'ignore', 'pipe'],
    });
    let stdout = '';
    let measure = '';
    proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    proc.stdio[3]!.on('data', (d: Buffer) => (measure += d.toString('utf8')));
    if (c.stdin === 'zero') {
      const zero = Buffer.alloc(MiB);
      const feed = () => {
        while (proc.stdin!.write(zero));
      };
      proc.stdin!.on('drain', feed);
      proc.stdin!.on('error', () => {});
      feed();
    } else if (c.stdin) {
      const line = Buffer.from(hostile.apsdLines(4000));
      let left = c.stdin.bytes;
      const feed = () => {
        while (left > 0) {
          left -= line.length;
          if (!proc.stdin!.write(line)) return;
        }
        proc.stdin!.end();
      };
      proc.stdin!.on('drain', feed);
      proc.stdin!.on('error', () => {});
      feed();
    }
    opts.onSpawn?.((s) => proc.kill(s));
    proc.on('exit', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      const rss = /"maxRssKb":(\d+)/.exec(measure);
      // Let stdout drain before reading it.
      setImmediate(() => resolve({ code, signal, seconds, rssMb: rss ? Number(rss[1]) / 1024 : undefined, stdout }));
    });
  });
}

/** The JSON report names the input: in a problem, or as the source of a fact. */
function namesInput(stdout: string, input: string): boolean {
  try {
    const report = JSON.parse(stdout) as { problems: { input: string }[]; facts: { origin?: { input?: string } }[] };
    return report.problems.some((p) => p.input === input) || report.facts.some((f) => f.origin?.input === input);
  } catch {
    return false;
  }
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    n += st.isDirectory() ? dirBytes(p) : st.size;
  }
  return n;
}

async function main(): Promise<void> {
  console.log(
    `hostile inputs through ${CLI} (node ${process.version}); targets: under ${MAX_SECONDS} s, under ${MAX_RSS_MB} MB peak RSS, exit 0, a problem naming the input`,
  );
  console.log('making the inputs…');
  const backslashes = hostile.backslashLines(12, 65_000);
  const fifo = at('fifo');
  spawn('mkfifo', [fifo]);
  const cases: Case[] = [];
  const add = (name: string, input: string, args: string[] = [input], stdin?: Case['stdin']) => cases.push({ name, input, args, ...(stdin ? { stdin } : {}) });
  add('12 lines of 65,000 backslashes as a provider log', put('bs/provider.log', backslashes));
  add('… inside a .tar.gz', put('bs/provider.tar.gz', tgz([{ path: 'provider.log', data: backslashes }])));
  const pasted = put('bs/pasted.txt', backslashes);
  add('… pasted (--paste-file)', pasted, ['--paste-file', pasted]);
  for (const f of hostile.fragmentLogs(65_536, 12)) add(`64K lines of fragments as ${f.kind}`, put(`frag/${f.kind.replace(/\W+/g, '-')}/${f.name}`, f.text));
  add('--paste-file - with 300 MB on standard input', 'standard input', ['--paste-file', '-'], { bytes: 300 * MiB });
  add('--paste-file - with /dev/zero on standard input', 'standard input', ['--paste-file', '-'], 'zero');
  add('--paste-file /dev/zero', '/dev/zero', ['--paste-file', '/dev/zero']);
  add('--paste-file /dev/urandom', '/dev/urandom', ['--paste-file', '/dev/urandom']);
  add('--paste-file on a FIFO without a writer', fifo, ['--paste-file', fifo]);
  add(
    'a 4 MB XML plist of empty dictionaries',
    put('plist/MDM.plist', `<?xml version="1.0"?><plist><array>${'<dict/>'.repeat(Math.floor((4 * MiB - 64) / 7))}</array></plist>`),
  );
  add('a 30 MB JSON webhook export of empty events', put('json/webhook.json', `[${'{"checkin_event":{}},'.repeat(Math.floor((30 * MiB) / 21))}{}]`));
  add('a zip whose 1,000 entries share one 48 MB stream', put('zip/shared.zip', sharedStreamZip(1000, 48 * MiB)));
  add('a zip of 4,000 entries running into each other', put('zip/overlap.zip', overlappingZip(4000)));
  add('a zip of 199,999 empty entries', put('zip/empty.zip', emptyEntriesZip(199_999)));
  add('a .tar.gz expanding to 8 GB of log lines', await bigLogTarGz('big/lines.tar.gz', 8, 1024 * MiB));
  const bomb = put('zip/spool-bomb.zip', spoolBombZip(2048 * MiB));
  add(`a ${(statSync(bomb).size / MiB).toFixed(1)} MB zip holding 2 GiB of zip data to spool`, bomb);
  const links = Array.from({ length: 200_001 }, (_, i) => ({ path: `l/${i}`, type: 'symlink' as const, linkTarget: '/etc/passwd' }));
  add('a tar of 200,001 links (past the entry limit after 100 problems)', put('tar/links.tar', tar(links)));
  add('examples/mdm-wrong-magic/server-values.txt as a path', join(ROOT, 'examples/mdm-wrong-magic/server-values.txt'));
  add('a 30 MB CtxLog_APNS_Events.csv of 200,000 rows', put('sm/CtxLog_APNS_Events.csv', hostile.apnsEventsCsv(200_000)));

  const rows: string[][] = [];
  let failed = 0;
  for (const c of cases) {
    if (only && !c.name.includes(only)) continue;
    const r = await runCli(c);
    const named = namesInput(r.stdout, c.input);
    const ok = r.code === 0 && named && r.seconds < MAX_SECONDS && (r.rssMb ?? Infinity) < MAX_RSS_MB;
    if (!ok) failed++;
    rows.push([
      c.name,
      r.seconds.toFixed(2),
      r.rssMb === undefined ? '?' : r.rssMb.toFixed(0),
      String(r.code ?? r.signal),
      named ? 'yes' : 'NO',
      ok ? 'ok' : 'FAIL',
    ]);
    console.log(
      `  ${ok ? 'ok  ' : 'FAIL'} ${r.seconds.toFixed(2).padStart(6)} s ${(r.rssMb?.toFixed(0) ?? '?').padStart(5)} MB  exit ${r.code ?? r.signal}  names input: ${named ? 'yes' : 'NO'}  ${c.name}`,
    );
  }

  if (only && !'SIGTERM'.includes(only)) {
    rmSync(work, { recursive: true, force: true });
    process.exitCode = failed ? 1 : 0;
    return;
  }
  // SIGTERM in the middle of a spool: nothing may be left in the temp dir.
  const before = dirBytes(spoolTmp);
  let spooledAtKill = 0;
  const killed = await runCli(
    { args: [bomb] },
    {
      onSpawn: (kill) => {
        const poll = setInterval(() => {
          const bytes = dirBytes(spoolTmp) - before;
          if (bytes > 100 * MiB) {
            spooledAtKill = bytes;
            clearInterval(poll);
            kill('SIGTERM');
          }
        }, 20);
        setTimeout(() => clearInterval(poll), 60_000).unref();
      },
    },
  );
  const left = dirBytes(spoolTmp) - before;
  const sigOk = killed.signal === 'SIGTERM' && left === 0;
  if (!sigOk) failed++;
  console.log(
    `  ${sigOk ? 'ok  ' : 'FAIL'} SIGTERM after ${(spooledAtKill / MiB).toFixed(0)} MB spooled: ended by ${killed.signal ?? `exit ${killed.code}`}, ${left} bytes left in the temp dir`,
  );

  console.log(`${cases.length + 1} cases, ${failed} failed (figures depend on the machine and on what else runs on it)`);
  rmSync(work, { recursive: true, force: true });
  process.exitCode = failed ? 1 : 0;
}

await main();
