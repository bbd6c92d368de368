import { AsyncLocalStorage } from 'node:async_hooks';
import { LockTimeoutError } from './errors.js';

/** How long work waits for a busy thread by default: a thread's own steps take seconds, not minutes. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/**
 * A mutex per key inside one process, with a bounded wait. The stores put
 * it in front of their cross-process lock so that one process asks the
 * database for a thread's lock once at a time, and a queue of local work
 * cannot wait forever behind a stuck job.
 */
export class TimedKeyedMutex {
  private readonly queues = new Map<string, { grant: () => void }[]>();
  private readonly held = new Set<string>();

  /** Resolves with a release function once the key is ours, or rejects with LockTimeoutError. */
  acquire(key: string, timeoutMs: number): Promise<() => void> {
    const release = () => this.release(key);
    if (!this.held.has(key)) {
      this.held.add(key);
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      this.queues.set(key, queue);
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(once(release));
        },
      };
      const timer = setTimeout(() => {
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        if (!queue.length) this.queues.delete(key);
        reject(new LockTimeoutError(key, timeoutMs));
      }, timeoutMs);
      queue.push(waiter);
    });
  }

  private release(key: string): void {
    const queue = this.queues.get(key);
    const next = queue?.shift();
    if (queue && !queue.length) this.queues.delete(key);
    if (next)
      next.grant(); // the key stays held, handed straight to the next waiter
    else this.held.delete(key);
  }

  /** Keys held or waited for right now (for tests and shutdown). */
  get busy(): number {
    return this.held.size;
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

const held = new AsyncLocalStorage<ReadonlySet<string>>();

/**
 * Runs `fn` holding `key` unless this async context holds it already: a
 * thread's work may call helpers that take the same thread's lock (adding
 * each file of a contribution while the contribution holds the thread)
 * without waiting on itself.
 */
function reentrant<T>(key: string, take: (fn: () => Promise<T>) => Promise<T>, fn: () => Promise<T>): Promise<T> {
  const mine = held.getStore();
  if (mine?.has(key)) return fn();
  return take(() => held.run(new Set([...(mine ?? []), key]), fn));
}

/**
 * The frame both stores put around a thread's work: re-entrant within one
 * chain of calls, then this process's mutex, then the database's own lock
 * (`database`), all within one deadline.
 */
export function lockThread<T>(
  local: TimedKeyedMutex,
  key: string,
  timeoutMs: number,
  fn: () => Promise<T>,
  database: (until: number, fn: () => Promise<T>) => Promise<T>,
): Promise<T> {
  return reentrant(
    key,
    async (inner) => {
      const until = Date.now() + timeoutMs;
      const release = await local.acquire(key, timeoutMs);
      try {
        return await database(until, inner);
      } finally {
        release();
      }
    },
    fn,
  );
}
