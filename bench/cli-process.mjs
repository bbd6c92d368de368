// `pushcheck diagnose FILE --format json` as a whole process (module loading included), with two figures the
// bench needs from inside it: the longest event-loop stall and the peak RSS. Output goes nowhere, as to /dev/null.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const { main } = await import('../dist/cli/main.js');
const sink = { write: () => true };
const code = await main(process.argv.slice(2), { out: sink, err: { write: (s) => process.stderr.write(s) }, isTTY: false });
loop.disable();
const ru = process.resourceUsage();
process.stderr.write(`${JSON.stringify({ code, cpuS: (ru.userCPUTime + ru.systemCPUTime) / 1e6, maxLoopDelayMs: loop.max / 1e6, maxRssMb: ru.maxRSS / 1024 })}\n`);
