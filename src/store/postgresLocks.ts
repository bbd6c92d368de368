import { createHash } from 'node:crypto';
import type pg from 'pg';
import { LockTimeoutError } from './errors.js';

/** A 64-bit advisory lock id for a name (Postgres takes a bigint). */
export function lockId(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * Runs `fn` inside a transaction holding the advisory lock `name` for the
 * thread `key`, on a connection of its own from `lockPool`; LockTimeoutError
 * when the lock (or a connection) is not had by `until`.
 */
export async function holdAdvisoryLock<T>(lockPool: pg.Pool, name: string, key: string, until: number, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const c = await connectWithin(lockPool, until, key, timeoutMs);
  try {
    await c.query('BEGIN');
    // SET takes no parameters; the value is an integer computed here.
    await c.query(`SET LOCAL lock_timeout = ${Math.max(1, until - Date.now())}`);
    try {
      await c.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockId(name)]);
    } catch (e) {
      if ((e as { code?: string }).code === '55P03') throw new LockTimeoutError(key, timeoutMs);
      throw e;
    }
    return await fn();
  } finally {
    // Ending the transaction frees the lock; a connection that cannot even roll back is discarded.
    let broken: Error | undefined;
    await c.query('ROLLBACK').catch((e: Error) => (broken = e));
    c.release(broken);
  }
}

/** A lock connection, or LockTimeoutError if none frees up in time. */
async function connectWithin(lockPool: pg.Pool, until: number, key: string, timeoutMs: number): Promise<pg.PoolClient> {
  const pending = lockPool.connect();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LockTimeoutError(key, timeoutMs)), Math.max(0, until - Date.now()));
  });
  try {
    return await Promise.race([pending, timeout]);
  } catch (e) {
    pending.then(
      (c) => c.release(),
      () => undefined,
    );
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
