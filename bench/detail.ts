import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * PUSHCHECK_BENCH_DETAIL=1: the scan inside a warm process (bench/child.ts),
 * and its parts: the intake with no reader wanting anything, every text log
 * read by a stand-in reader, the `tar` package's parser, `gzip -dc`. Where
 * the whole-process figures say how much, these say where.
 */
const childSource = fileURLToPath(new URL('./child.ts', import.meta.url));
const RUNS = Math.max(1, Number(process.env.PUSHCHECK_BENCH_RUNS ?? 3));

/**
 * The measured processes run plain `node` on a bundle of child.ts, as the
 * CLI runs from compiled JS: the tsx loader would add ~35 MB of RSS (its own
 * worker thread) and compile time that are not pushcheck's.
 */
async function childArgs(): Promise<string[]> {
  try {
    const { build } = await import('esbuild');
    const out = fileURLToPath(new URL('../node_modules/.cache/pushcheck-bench/child.mjs', import.meta.url));
    await build({
      entryPoints: [childSource],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
    return [out];
  } catch (e) {
    console.log(`(esbuild unavailable, measuring under tsx: RSS includes its loader) ${(e as Error).message}`);
    return ['--import', 'tsx', childSource];
  }
}

interface Sample {
  mode: string;
  ms: number;
  cpuMs?: number;
  maxRssMb?: number;
  maxLoopDelayMs?: number;
  [k: string]: unknown;
}

export async function detail(file: string): Promise<void> {
  const args = await childArgs();
  const modes = ['bare', 'scan', 'scan-no-readers', 'scan-all-text', 'tar-package'];
  const label: Record<string, string> = {
    bare: 'bare Node gunzip (1 MiB buffers)',
    scan: 'pushcheck scan (readPath, project readers)',
    'scan-all-text': 'pushcheck scan, every text log + plist read',
    'scan-no-readers': 'pushcheck scan, no reader wants anything',
    'tar-package': 'tar v7 Parser, entries drained',
  };
  const samples = new Map<string, Sample[]>(modes.map((m) => [m, []]));
  for (let i = 0; i < RUNS; i++)
    for (const m of modes) {
      const out = execFileSync(process.execPath, [...args, m, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
      samples.get(m)!.push(JSON.parse(out.trim().split('\n').pop()!) as Sample);
    }
  const best = (m: string) => samples.get(m)!.reduce((a, b) => (b.ms < a.ms ? b : a));
  const bare = best('bare').ms;
  console.log(`\nDetail, inside a warm process (best of ${RUNS}): ${file}`);
  const rows = [['measure', 'best ms', 'x bare gunzip', 'cpu ms', 'peak RSS MB', 'max loop delay ms']];
  for (const m of modes) {
    const b = best(m);
    rows.push([
      label[m]!,
      b.ms.toFixed(0),
      (b.ms / bare).toFixed(2),
      String(Math.round(b.cpuMs ?? 0)),
      (b.maxRssMb ?? 0).toFixed(0),
      (b.maxLoopDelayMs ?? 0).toFixed(1),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(`  ${r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ')}`);
  const s = best('scan') as Sample & { counts?: unknown; facts?: number };
  console.log(`  scan found: ${JSON.stringify(s.counts)}; facts ${String(s.facts)}`);
}
