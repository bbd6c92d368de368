import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildArchive } from './build.js';
import { pushHeavyBundle } from './pushHeavy.js';
import { apnsEventsTable, notNowServerLog, providerLog } from './volume.js';

/**
 * `npm run bench` (after `npm run build`: the measured processes run the
 * compiled CLI, as users do). What a user pays is the whole process, so
 * every figure here is one: `pushcheck diagnose FILE` against a bare Node
 * gunzip of the same FILE, run alternately, pair by pair, on two bundle
 * shapes (the synthetic sysdiagnose of bench/build.ts, and the push-heavy one
 * the team's generator in ../shared/bench writes); and the fixed cost of a
 * run (help, a one-line log) against `node -e 0`.
 *
 * Targets (issue 11): diagnose <= 1.25 x bare gunzip, peak RSS <= 150 MB,
 * event-loop delay <= 50 ms, a run's fixed cost <= 0.25 s.
 * PUSHCHECK_BENCH_RUNS sets the pairs per bundle (5), PUSHCHECK_BENCH_MB the
 * synthetic bundle's size (300), PUSHCHECK_BENCH_DETAIL=1 adds the in-process
 * scan variants of bench/child.ts (what the scan alone costs, and its parts).
 * PUSHCHECK_BENCH_ONLY=fixed,synthetic,push-heavy,volume runs only those parts.
 * PUSHCHECK_BENCH_SHARED names the folder holding the push-heavy generator when ../shared/bench is not beside the repository.
 * The volume part runs the logs whose size used to decide a case's cost
 * (bench/volume.ts: a NanoMDM log, a Secure Mail events table, an app's APNs provider log) and prints facts, JSON size, time and peak RSS; its
 * targets are facts in the low thousands and RSS <= 150 MB.
 */
const RUNS = Math.max(1, Number(process.env.PUSHCHECK_BENCH_RUNS ?? 5));
const MB = Number(process.env.PUSHCHECK_BENCH_MB ?? 300);
const DETAIL = process.env.PUSHCHECK_BENCH_DETAIL === '1';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const CLI = here('../dist/cli/pushcheck.js');
const TARGET = { ratio: 1.25, rssMb: 150, loopMs: 50, fixedS: 0.25, facts: 5000 };
const ONLY = new Set((process.env.PUSHCHECK_BENCH_ONLY ?? 'fixed,synthetic,push-heavy,volume').split(',').map((s) => s.trim()));

interface Run {
  wallS: number;
  cpuS?: number;
  maxRssMb?: number;
  maxLoopDelayMs?: number;
  /** Main-thread CPU between two turns of the loop (Linux): the stall with no time spent waiting for a core. */
  maxBlockCpuMs?: number;
  /** The main thread's CPU over the whole run (Linux): pushcheck's own work, whatever the machine's load. */
  mainCpuS?: number;
}

/** One whole process, timed from the outside; the wrappers report their peak RSS (and loop delay) on stderr. */
function run(args: string[], quiet = true): Run {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'pipe'], maxBuffer: 64 << 20 });
  const wallS = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop() ?? '';
  let stats: Partial<Run> = {};
  try {
    stats = JSON.parse(last) as Partial<Run>;
  } catch {
    // node -e 0 and the CLI itself print nothing.
  }
  return { wallS, ...stats };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
const f2 = (x: number) => x.toFixed(2);

function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  rows.forEach((r, i) => {
    console.log(`  ${r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ')}`);
    if (i === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  });
}

/** Fixed cost: node -e 0, pushcheck help, pushcheck diagnose of one log line, in turn. */
function fixedCost(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'pushcheck-bench-'));
  const log = join(dir, 'one.log');
  writeFileSync(log, 'ts=2024-03-04T06:00:00Z level=info service=nanomdm status=Idle id=00008110-001A2C3E4F50801E type=Device\n');
  const cmds: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['pushcheck help', [CLI, 'help']],
    ['pushcheck diagnose (a one-line log)', [CLI, 'diagnose', log]],
  ];
  const times = cmds.map(() => [] as number[]);
  for (const [, args] of cmds) run(args); // warm the page cache
  for (let i = 0; i < 9; i++) cmds.forEach(([, args], j) => times[j]!.push(run(args).wallS));
  rmSync(dir, { recursive: true, force: true });
  const base = median(times[0]!);
  let ok = true;
  console.log('\nFixed cost of a run (whole process, wall seconds, median of 9, in turn):');
  table([
    ['command', 'median s', 'min s', '- node -e 0', 'target'],
    ...cmds.map(([name], j) => {
      const m = median(times[j]!);
      const target = j === 0 ? '' : `<= ${TARGET.fixedS} s ${verdict(m <= TARGET.fixedS)}`;
      if (j > 0) ok &&= m <= TARGET.fixedS;
      return [name, m.toFixed(3), Math.min(...times[j]!).toFixed(3), j === 0 ? '' : (m - base).toFixed(3), target];
    }),
  ]);
  return ok;
}

/** The bundle against a bare gunzip of itself, alternately, pair by pair. */
function bundle(title: string, path: string, bytes: number): boolean {
  console.log(`\n${title}\n  ${path}, ${(bytes / 2 ** 20).toFixed(0)} MiB compressed`);
  execFileSync('cat', [path], { stdio: ['ignore', 'ignore', 'inherit'] }); // warm the page cache
  const bare: Run[] = [];
  const diag: Run[] = [];
  run([here('./bare-gunzip.mjs'), path]);
  run([here('./cli-process.mjs'), 'diagnose', path, '--format', 'json']);
  for (let i = 0; i < RUNS; i++) {
    bare.push(run([here('./bare-gunzip.mjs'), path]));
    diag.push(run([here('./cli-process.mjs'), 'diagnose', path, '--format', 'json']));
  }
  const ratios = diag.map((d, i) => d.wallS / bare[i]!.wallS);
  const cpuRatios = diag.map((d, i) => (d.cpuS ?? NaN) / (bare[i]!.cpuS ?? NaN));
  const rss = Math.max(...diag.map((d) => d.maxRssMb ?? 0));
  const delay = Math.max(...diag.map((d) => d.maxLoopDelayMs ?? 0));
  const ratio = median(ratios);
  table([
    ['process', 'median s', 'min s', 'cpu s (all threads)', 'peak RSS MB', 'max loop delay ms'],
    [
      'bare Node gunzip',
      f2(median(bare.map((r) => r.wallS))),
      f2(Math.min(...bare.map((r) => r.wallS))),
      f2(median(bare.map((r) => r.cpuS ?? NaN))),
      Math.max(...bare.map((r) => r.maxRssMb ?? 0)).toFixed(0),
      '-',
    ],
    [
      'pushcheck diagnose',
      f2(median(diag.map((r) => r.wallS))),
      f2(Math.min(...diag.map((r) => r.wallS))),
      f2(median(diag.map((r) => r.cpuS ?? NaN))),
      rss.toFixed(0),
      delay.toFixed(1),
    ],
  ]);
  console.log(`  diagnose / gunzip    ${f2(ratio)} (pairs: ${ratios.map(f2).join(' ')})   target <= ${TARGET.ratio}   ${verdict(ratio <= TARGET.ratio)}`);
  console.log(`  cpu, all threads     ${f2(median(cpuRatios))} x (what the ratio would be with no second core to inflate on)`);
  const mainCpu = median(diag.map((d) => d.mainCpuS ?? NaN));
  if (!Number.isNaN(mainCpu))
    console.log(
      `  main thread          ${f2(mainCpu)} s of CPU (start-up, parsing, diagnosis, report; inflating is on the threadpool): ${f2(mainCpu / median(bare.map((r) => r.wallS)))} x the bare gunzip's wall time`,
    );
  console.log(`  peak RSS             ${rss.toFixed(0)} MB   target <= ${TARGET.rssMb}   ${verdict(rss <= TARGET.rssMb)}`);
  console.log(`  max loop delay       ${delay.toFixed(1)} ms   target <= ${TARGET.loopMs}   ${verdict(delay <= TARGET.loopMs)}`);
  const block = Math.max(...diag.map((d) => d.maxBlockCpuMs ?? NaN));
  if (!Number.isNaN(block))
    console.log(
      `  of which own work    ${block.toFixed(0)} ms of main-thread CPU at most between two turns of the loop (10 ms ticks; the delay on an idle core)`,
    );
  return ratio <= TARGET.ratio && rss <= TARGET.rssMb && delay <= TARGET.loopMs;
}

const load = loadavg()[0]!;
console.log(`pushcheck bench: node ${process.version}, ${availableParallelism()} cores, load average ${load.toFixed(1)}`);
if (load > availableParallelism() * 0.5)
  console.log('note: the machine is busy; wall times include the time other processes took, and the ratios lean on a second core being free');

const results: boolean[] = [];
if (ONLY.has('fixed')) results.push(fixedCost());

const t0 = performance.now();
const synthetic = ONLY.has('synthetic') || DETAIL ? await buildArchive(MB) : undefined;
if (synthetic && ONLY.has('synthetic'))
  results.push(
    bundle(
      `Synthetic sysdiagnose (bench/build.ts: ${built(synthetic.textBytes)} MiB text logs, ${built(synthetic.binaryBytes)} MiB logarchive; ${synthetic.cached ? 'cached' : `built in ${((performance.now() - t0) / 1000).toFixed(0)} s`})`,
      synthetic.path,
      synthetic.bytes,
    ),
  );
function built(n: number): string {
  return (n / 2 ** 20).toFixed(0);
}

const heavy = ONLY.has('push-heavy') || DETAIL ? pushHeavyBundle('big') : { skipped: 'not asked for' };
if ('skipped' in heavy) console.log(`\nPush-heavy sysdiagnose: ${heavy.skipped}`);
else if (ONLY.has('push-heavy'))
  results.push(
    bundle(
      `Push-heavy sysdiagnose (../shared/bench/gen-sysdiagnose.js big; ${heavy.cached ? 'cached' : `made in ${heavy.seconds.toFixed(0)} s`})`,
      heavy.path,
      heavy.bytes,
    ),
  );

if (DETAIL) {
  const { detail } = await import('./detail.js');
  if (synthetic) await detail(synthetic.path);
  if (!('skipped' in heavy)) await detail(heavy.path);
}

if (ONLY.has('volume')) results.push(await volume());

console.log(`\n${results.every(Boolean) ? 'every target met' : 'some targets MISSED'} (figures from one machine; quote them with its load)`);

/**
 * Log volume: facts per case stay in the low thousands whatever the log's
 * size. One process per log (each runs for seconds); the report is kept to
 * count its facts and observations.
 */
async function volume(): Promise<boolean> {
  const dir = join(tmpdir(), 'pushcheck-bench', 'volume');
  const logs: [string, string][] = [
    ['NanoMDM log, 500,000 NotNow lines', await notNowServerLog(dir, 500_000)],
    ['Secure Mail CtxLog_APNS_Events.csv, 200,000 rows', await apnsEventsTable(dir, 200_000)],
    ['APNs provider log, 150,000 lines, 5,000 tokens', await providerLog(dir, 150_000)],
  ];
  console.log('\nLog volume (whole process, pushcheck diagnose FILE --format json, one run each):');
  const rows: string[][] = [['input', 'MiB', 'wall s', 'cpu s', 'peak RSS MB', 'max loop delay ms', 'own work ms', 'facts', 'observations', 'JSON MiB']];
  let ok = true;
  for (const [name, path] of logs) {
    const out = join(dir, 'report.json');
    const t = performance.now();
    const r = spawnSync(process.execPath, [here('./cli-process.mjs'), 'diagnose', path, '--format', 'json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 30,
    });
    const wallS = (performance.now() - t) / 1000;
    const stats = JSON.parse(r.stderr.toString().trim().split('\n').pop() ?? '{}') as Partial<Run>;
    writeFileSync(out, r.stdout);
    let facts = NaN;
    let observations = NaN;
    try {
      const report = JSON.parse(r.stdout.toString()) as { facts: { count?: number }[] };
      facts = report.facts.length;
      observations = report.facts.reduce((n, f) => n + (f.count ?? 1), 0);
    } catch {
      // A report that is not JSON is reported as NaN facts, and misses the target.
    }
    const sizeMiB = statSizeMiB(path);
    ok &&= r.status === 0 && facts <= TARGET.facts && (stats.maxRssMb ?? Infinity) <= TARGET.rssMb;
    rows.push([
      name,
      sizeMiB.toFixed(0),
      f2(wallS),
      f2(stats.cpuS ?? NaN),
      (stats.maxRssMb ?? NaN).toFixed(0),
      (stats.maxLoopDelayMs ?? NaN).toFixed(1),
      (stats.maxBlockCpuMs ?? NaN).toFixed(0),
      String(facts),
      String(observations),
      (r.stdout.length / 2 ** 20).toFixed(2),
    ]);
  }
  table(rows);
  console.log(`  targets: facts <= ${TARGET.facts} (low thousands), peak RSS <= ${TARGET.rssMb} MB   ${verdict(ok)}`);
  return ok;
}

function statSizeMiB(path: string): number {
  return statSync(path).size / 2 ** 20;
}
