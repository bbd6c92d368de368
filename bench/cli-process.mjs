// `pushcheck diagnose FILE --format json` as a whole process: the package's bin (the bundled CLI), module
// loading included, with the two figures the bench needs from inside: the longest event-loop stall and the
// peak RSS, written to stderr as the process exits. The bench discards stdout, as `> /dev/null` would.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
process.on('exit', (code) => {
  loop.disable();
  const ru = process.resourceUsage();
  process.stderr.write(`${JSON.stringify({ code, cpuS: (ru.userCPUTime + ru.systemCPUTime) / 1e6, maxLoopDelayMs: loop.max / 1e6, maxRssMb: ru.maxRSS / 1024 })}\n`);
});
await import('../dist/cli/pushcheck.js');
