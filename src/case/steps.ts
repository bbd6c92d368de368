import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Steps } from '../facts/steps.js';

/** Main-thread work between two turns of the event loop, at most (give or take one step). */
const SLICE_MS = 5;

/**
 * Runs a computation that yields between its phases (facts/steps.ts), letting
 * the event loop turn whenever a slice of work is used up: a timer, a Slack
 * event or a progress line waits for one phase, not for the whole diagnosis.
 */
export async function inSlices<T>(steps: Steps<T>): Promise<T> {
  let since = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - since >= SLICE_MS) {
      await nextTurn();
      since = performance.now();
    }
  }
}
