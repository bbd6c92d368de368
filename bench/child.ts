import { createReadStream } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createGunzip } from 'node:zlib';
import { scanPath } from '../src/evidence/archive/index.js';
import { DEFAULT_LIMITS, sourceOf, type Reader } from '../src/evidence/types.js';

/**
 * One measurement in a fresh process, so its peak RSS is its own.
 * Modes: bare (zlib gunzip, 1 MiB buffers, output discarded), scan (readPath's
 * scan with the project's readers), scan-all-text (every text log read line
 * by line and every plist buffered: the heaviest a reader set can make it),
 * scan-no-readers (the intake alone: every member sniffed and drained),
 * tar-package (the `tar` v7 Parser over the same data, entries drained).
 */
const [mode, file] = process.argv.slice(2) as [string, string];
const MiB = 1 << 20;

/** Stand-in readers that touch every line and every plist, like a reader set that wants everything. */
const everything: Reader[] = [
  {
    id: 'bench.lines',
    kind: 'lines',
    accepts: (name) => /\.(log|txt)$/.test(name),
    open(item) {
      let hits = 0;
      let first = 0;
      return {
        line(text, n) {
          if (text.includes('mdmd') || text.includes('apsd')) {
            hits++;
            first ||= n;
          }
        },
        end: () => ({ facts: hits ? [{ name: 'device.log.mdm_lines', value: hits, source: sourceOf(item, first) }] : [], problems: [] }),
      };
    },
  },
  {
    id: 'bench.plist',
    kind: 'buffer',
    accepts: (name, head) => /\.(plist|stub)$/.test(name) || head.subarray(0, 8).toString('latin1') === 'bplist00',
    read: (data, item) => ({ facts: data.includes('PushMagic') ? [{ name: 'device.mdm_enrolled', value: true, source: sourceOf(item) }] : [], problems: [] }),
  },
];

async function bare(): Promise<Record<string, unknown>> {
  let out = 0;
  await new Promise<void>((resolve, reject) => {
    const src = createReadStream(file, { highWaterMark: MiB });
    const gz = createGunzip({ chunkSize: MiB });
    src.on('error', reject);
    gz.on('error', reject);
    gz.on('data', (c: Buffer) => {
      out += c.length;
    });
    gz.on('end', resolve);
    src.pipe(gz);
  });
  return { expandedBytes: out };
}

async function scan(readers?: Reader[]): Promise<Record<string, unknown>> {
  const ctx = { limits: DEFAULT_LIMITS };
  const res = readers ? await scanPath(file, ctx, readers) : await scanPath(file, ctx);
  return { counts: res.counts, facts: res.facts.length, factNames: [...new Set(res.facts.map((f) => f.name))].sort(), problems: res.problems };
}

async function tarPackage(): Promise<Record<string, unknown>> {
  const { Parser } = await import('tar');
  let entries = 0;
  await new Promise<void>((resolve, reject) => {
    const p = new Parser({
      onReadEntry: (e) => {
        entries++;
        e.resume();
      },
    });
    p.on('end', resolve);
    p.on('error', reject);
    const src = createReadStream(file, { highWaterMark: MiB });
    src.on('error', reject);
    src.pipe(createGunzip({ chunkSize: MiB })).pipe(p);
  });
  return { entries };
}

const h = monitorEventLoopDelay({ resolution: 10 });
const rssBefore = process.memoryUsage().rss;
h.enable();
const cpu0 = process.cpuUsage();
const t = performance.now();
const detail =
  mode === 'bare'
    ? await bare()
    : mode === 'scan'
      ? await scan()
      : mode === 'scan-all-text'
        ? await scan(everything)
        : mode === 'scan-no-readers'
          ? await scan([])
          : await tarPackage();
const ms = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
h.disable();
process.stdout.write(
  `${JSON.stringify({
    mode,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    rssBeforeMb: rssBefore / MiB,
    maxLoopDelayMs: h.max / 1e6,
    ...detail,
  })}\n`,
);
