import type { JobKind } from './jobs.js';

/** A job failed because its worker stopped (out of memory, crashed, or the pool closed). */
export class WorkerStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerStopped';
  }
}

/** A job ran past its deadline; its worker was stopped (and is replaced). */
export class JobTimedOut extends WorkerStopped {
  constructor(
    readonly kind: JobKind,
    readonly ms: number,
  ) {
    super(`${kind === 'scan' ? 'reading it' : 'working out the diagnosis'} took longer than ${duration(ms)}, so it was stopped`);
    this.name = 'JobTimedOut';
  }
}

function duration(ms: number): string {
  if (ms >= 120_000) return `${Math.round(ms / 60_000)} minutes`;
  if (ms >= 2000) return `${Math.round(ms / 1000)} seconds`;
  return `${ms} ms`;
}
