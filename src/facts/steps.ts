/**
 * A long computation written as a generator that yields between its phases:
 * run to the end at once (finish), or by a caller that lets the event loop
 * turn at the yields (case/steps.ts). The result is the same either way.
 */
export type Steps<T> = Generator<void, T, void>;

export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
