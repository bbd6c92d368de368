import { readFileSync } from 'node:fs';

/*
 * PUSHCHECK_TRACE_PHASES=1: one stderr line per phase of a run (the scan's
 * end, the report written) with the time since the process started and the
 * main thread's CPU so far, for finding where a run's fixed cost goes. Off,
 * a phase costs one property read.
 */
const on = !!process.env.PUSHCHECK_TRACE_PHASES;

/** The main thread's CPU in ms (Linux: schedstat's nanoseconds on a CPU), else the whole process's. */
function mainThreadCpuMs(): number {
  try {
    const s = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8');
    return Math.round(Number(s.slice(0, s.indexOf(' '))) / 1e5) / 10;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}

export function tracePhase(name: string): void {
  if (on) process.stderr.write(`pushcheck phase ${name}: ${performance.now().toFixed(0)} ms, main thread CPU ${mainThreadCpuMs()} ms\n`);
}
