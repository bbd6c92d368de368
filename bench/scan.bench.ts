import { execFileSync, spawnSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildArchive } from './build.js';

/**
 * `npm run bench`: builds (or reuses) a sysdiagnose-like .tar.gz and measures,
 * in the same run and on the same file: pushcheck's scan, `gzip -dc`, a bare
 * Node gunzip with 1 MiB buffers, the `tar` package's parser; peak RSS and the
 * longest event-loop stall of the scan. Each figure is the best of N runs
 * (PUSHCHECK_BENCH_RUNS, default 3); PUSHCHECK_BENCH_MB sets the size (300).
 */
const MB = Number(process.env.PUSHCHECK_BENCH_MB ?? 300);
const RUNS = Math.max(1, Number(process.env.PUSHCHECK_BENCH_RUNS ?? 3));
const childSource = fileURLToPath(new URL('./child.ts', import.meta.url));

/**
 * The measured processes run plain `node` on a bundle of child.ts, as the
 * CLI runs from compiled JS: the tsx loader would add ~35 MB of RSS (its own
 * worker thread) and compile time that are not pushcheck's.
 */
async function bundleChild(): Promise<string[]> {
  try {
    const { build } = await import('esbuild');
    const out = fileURLToPath(new URL('../node_modules/.cache/pushcheck-bench/child.mjs', import.meta.url));
    await build({ entryPoints: [childSource], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
    return [out];
  } catch (e) {
    console.log(`(esbuild unavailable, measuring under tsx: RSS includes its loader) ${(e as Error).message}`);
    return ['--import', 'tsx', childSource];
  }
}
let childArgs: string[] = [];

interface Sample {
  mode: string;
  ms: number;
  maxRssMb?: number;
  rssBeforeMb?: number;
  maxLoopDelayMs?: number;
  [k: string]: unknown;
}

function runChild(mode: string, file: string): Sample {
  const out = execFileSync(process.execPath, [...childArgs, mode, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

function gzipDc(file: string): Sample {
  const devnull = openSync('/dev/null', 'w');
  const t = performance.now();
  const r = spawnSync('gzip', ['-dc', file], { stdio: ['ignore', devnull, 'inherit'] });
  const ms = performance.now() - t;
  closeSync(devnull);
  if (r.status !== 0) throw new Error(`gzip -dc failed (${r.status})`);
  return { mode: 'gzip-dc', ms };
}

childArgs = await bundleChild();
const t0 = performance.now();
const built = await buildArchive(MB);
console.log(
  `archive: ${built.path}\n  ${(built.bytes / 2 ** 20).toFixed(1)} MiB compressed, ${built.members} members, ` +
    `${(built.textBytes / 2 ** 20).toFixed(0)} MiB text logs, ${(built.binaryBytes / 2 ** 20).toFixed(0)} MiB logarchive ` +
    `(${built.cached ? 'cached' : `built in ${((performance.now() - t0) / 1000).toFixed(1)} s`})`,
);
execFileSync('cat', [built.path], { stdio: ['ignore', 'ignore', 'inherit'] }); // warm the page cache

const modes = ['bare', 'scan', 'gzip-dc', 'scan-no-readers', 'scan-all-text', 'tar-package'];
const samples = new Map<string, Sample[]>(modes.map((m) => [m, []]));
for (let i = 0; i < RUNS; i++) {
  for (const m of modes) samples.get(m)!.push(m === 'gzip-dc' ? gzipDc(built.path) : runChild(m, built.path));
}

const best = (m: string) => samples.get(m)!.reduce((a, b) => (b.ms < a.ms ? b : a));
const median = (m: string) => {
  const xs = samples.get(m)!.map((s) => s.ms).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
};
const worst = (m: string, k: 'maxRssMb' | 'maxLoopDelayMs') => Math.max(...samples.get(m)!.map((s) => (s[k] as number) ?? 0));
const bareMs = best('bare').ms;
const mbps = (ms: number) => ((built.bytes / 2 ** 20) / (ms / 1000)).toFixed(0);

const rows: string[][] = [['measure', 'best ms', 'median ms', 'MiB/s (in)', 'x bare gunzip', 'cpu ms (all threads)', 'peak RSS MB', 'max loop delay ms']];
const label: Record<string, string> = {
  bare: 'bare Node gunzip (1 MiB buffers)',
  scan: 'pushcheck scan (readPath, project readers)',
  'gzip-dc': 'gzip -dc > /dev/null',
  'scan-all-text': 'pushcheck scan, every text log + plist read',
  'scan-no-readers': 'pushcheck scan, no reader wants anything',
  'tar-package': 'tar v7 Parser, entries drained',
};
for (const m of modes) {
  const b = best(m);
  rows.push([
    label[m]!,
    b.ms.toFixed(0),
    median(m).toFixed(0),
    mbps(b.ms),
    (b.ms / bareMs).toFixed(2),
    m === 'gzip-dc' ? '-' : Math.min(...samples.get(m)!.map((x) => (x.cpuMs as number) ?? Infinity)).toFixed(0),
    m === 'gzip-dc' ? '-' : worst(m, 'maxRssMb').toFixed(0),
    m === 'gzip-dc' ? '-' : worst(m, 'maxLoopDelayMs').toFixed(1),
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const [i, r] of rows.entries()) {
  console.log(r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}

const scan = best('scan');
const ratio = scan.ms / bareMs;
const rss = worst('scan', 'maxRssMb');
const delay = worst('scan', 'maxLoopDelayMs');
const load = (await import('node:os')).loadavg()[0]!;
console.log(`\nruns: ${RUNS} (best of each shown; RSS and loop delay are the worst seen); load average ${load.toFixed(1)} on ${(await import('node:os')).availableParallelism()} cores`);
if (load > 1.5) console.log('note: the machine is busy; wall times and loop delays include time other processes took');
console.log(`scan / bare gunzip   ${ratio.toFixed(2)}   target <= 1.15   ${ratio <= 1.15 ? 'ok' : 'MISSED'}`);
console.log(`gzip -dc / bare      ${(best('gzip-dc').ms / bareMs).toFixed(2)}`);
console.log(`scan peak RSS        ${rss.toFixed(0)} MB   target <= 150   ${rss <= 150 ? 'ok' : 'MISSED'}  (process before scan: ${scan.rssBeforeMb?.toFixed(0)} MB)`);
console.log(`scan max loop delay  ${delay.toFixed(1)} ms   target <= 50   ${delay <= 50 ? 'ok' : 'MISSED'}`);
const s = scan as Sample & { counts?: Record<string, number>; factNames?: string[]; problems?: unknown[] };
console.log(`scan found: ${JSON.stringify(s.counts)}; facts ${String(s.facts)} (${(s.factNames ?? []).join(', ')}); problems ${(s.problems ?? []).length}`);
const all = best('scan-all-text') as Sample & { counts?: Record<string, number> };
console.log(`all-text scan read: ${JSON.stringify(all.counts)}`);
