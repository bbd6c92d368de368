// What holds the memory when `pushcheck diagnose FILE --format json` is at its largest: run as
// `node bench/rss-peak.mjs diagnose FILE --format json > /dev/null`. Every few milliseconds it looks at the
// resident size; at each new high it notes what the process holds then: V8's heap by space (committed/used),
// memory outside it (Buffers), and on Linux the C heap (malloc's main arena, where freed Buffers stay resident
// until reused) and the mapped files (the node binary). Written to stderr as one JSON line when the process exits.
// The sampling costs time: use bench/cli-process.mjs for timings and this to see where the peak comes from.
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';

const MB = (bytes) => Math.round(bytes / 104857.6) / 10;
const linux = process.platform === 'linux';
const t0 = performance.now();
let peak;

/** Resident KiB of the whole process, the C heap's size ([heap] in maps) and mapped files, where /proc says. */
function proc() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  const brk = /^([0-9a-f]+)-([0-9a-f]+) .*\[heap\]$/m.exec(readFileSync('/proc/self/maps', 'utf8'));
  return { rss: kib('VmRSS') * 1024, files: kib('RssFile') * 1024, cHeap: brk ? Number.parseInt(brk[2], 16) - Number.parseInt(brk[1], 16) : 0 };
}

function sample() {
  const p = linux ? proc() : { rss: process.memoryUsage.rss() };
  if (peak && p.rss <= peak.rssMb * 1048576) return;
  const m = process.memoryUsage();
  const spaces = {};
  for (const s of v8.getHeapSpaceStatistics()) if (s.space_size) spaces[s.space_name] = `${MB(s.space_size)}/${MB(s.space_used_size)}`;
  peak = {
    atMs: Math.round(performance.now() - t0),
    rssMb: MB(p.rss),
    ...(linux ? { mappedFilesMb: MB(p.files), cHeapMb: MB(p.cHeap) } : {}),
    heapTotalMb: MB(m.heapTotal),
    heapUsedMb: MB(m.heapUsed),
    externalMb: MB(m.external),
    arrayBuffersMb: MB(m.arrayBuffers),
    spacesCommittedUsedMb: spaces,
  };
}

setInterval(sample, 3).unref();
process.on('exit', () => {
  sample();
  process.stderr.write(`${JSON.stringify({ ...peak, endMs: Math.round(performance.now() - t0), maxRssMb: MB(process.resourceUsage().maxRSS * 1024) })}\n`);
});
await import('../dist/cli/pushcheck.js');
