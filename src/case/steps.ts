import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Steps } from '../facts/steps.js';

/**
 * A whole turn of the event loop, timers included. One setImmediate called
 * from an I/O callback (a stream's data or end, a module's evaluation) runs
 * in the same turn's check phase, before the loop comes back round to its
 * timers: the work on both sides of it then counts as one stall to a timer
 * (a Slack bot's heartbeat, a loop-delay monitor). The second always waits
 * for the next turn, which starts with the timers. Costs microseconds.
 */
export async function loopTurn(): Promise<void> {
  await nextTurn();
  await nextTurn();
}

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
