/** How often the main thread's recent load is looked at. */
const POLL_MS = 25;
/** Below this share of a poll spent running JavaScript, the thread counts as idle. */
const IDLE_BELOW = 0.5;

/**
 * Runs `task` once the main thread has a quiet spell: a poll in which the event loop spent under half
 * its time running code (while a bundle's log archive is inflated on the threadpool, say). Returns a
 * function that cancels it if it has not run. A task that throws is left to its caller to run again
 * (and throw) when it needs the result; the timer never keeps the process alive.
 */
export function whenIdle(task: () => void): () => void {
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (busy >= IDLE_BELOW) return;
    clearInterval(timer);
    try {
      task();
    } catch {
      // Said again, with its file and line, where the result is needed.
    }
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
