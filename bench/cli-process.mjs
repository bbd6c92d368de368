// `pushcheck diagnose FILE --format json` as a whole process: the package's bin (the bundled CLI), module
// loading included, with the figures the bench needs from inside: the longest event-loop stall, the peak RSS,
// and (on Linux) the most main-thread CPU spent between two turns of the loop. On a shared machine a stall
// also holds the time the process waited for a core; the CPU figure is the part that was pushcheck's own work.
// Written to stderr as the process exits. The bench discards stdout, as `> /dev/null` would.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

const STAT = `/proc/self/task/${process.pid}/stat`;
/** The main thread's user + system CPU in ms (clock ticks of 10 ms), or undefined off Linux. */
function mainThreadCpuMs() {
  try {
    const s = readFileSync(STAT, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}
let lastCpu = mainThreadCpuMs();
let maxBlockCpuMs = 0;
if (lastCpu !== undefined)
  setInterval(() => {
    const c = mainThreadCpuMs();
    if (c - lastCpu > maxBlockCpuMs) maxBlockCpuMs = c - lastCpu;
    lastCpu = c;
  }, 5).unref();

process.on('exit', (code) => {
  loop.disable();
  const ru = process.resourceUsage();
  process.stderr.write(
    `${JSON.stringify({ code, cpuS: (ru.userCPUTime + ru.systemCPUTime) / 1e6, maxLoopDelayMs: loop.max / 1e6, maxBlockCpuMs: lastCpu === undefined ? undefined : maxBlockCpuMs, mainCpuS: lastCpu === undefined ? undefined : (mainThreadCpuMs() ?? NaN) / 1000, maxRssMb: ru.maxRSS / 1024 })}\n`,
  );
});
await import('../dist/cli/pushcheck.js');
