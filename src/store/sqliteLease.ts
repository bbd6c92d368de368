import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { LockTimeoutError } from './errors.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A thread's lease row in a SQLite file several processes share: taken when
 * nobody holds it or the holder's lease ran out (a process that died holding
 * it frees it that way), renewed while the work runs, deleted after.
 */
export class SqliteLease {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
    private readonly leaseMs: number,
  ) {}

  /** Runs `fn` holding the thread's lease row, renewed while it runs. */
  async hold<T>(key: string, until: number, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    const name = `thread:${key}`;
    const token = randomUUID();
    for (let delay = 5; !this.tryLease(name, token); delay = Math.min(delay * 2, 200)) {
      const left = until - Date.now();
      if (left <= 0) throw new LockTimeoutError(key, timeoutMs);
      await sleep(Math.min(delay, left));
    }
    const renew = setInterval(() => this.renewLease(name, token), Math.max(10, Math.floor(this.leaseMs / 3)));
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      if (this.db.open) this.db.prepare('DELETE FROM locks WHERE name = ? AND token = ?').run(name, token);
    }
  }

  /** Takes the lease if nobody holds it or the holder's lease ran out. */
  private tryLease(name: string, token: string): boolean {
    const now = this.now().getTime();
    return (
      this.db
        .prepare(
          'INSERT INTO locks (name, token, expires_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at WHERE locks.expires_at <= ?',
        )
        .run(name, token, now + this.leaseMs, now).changes === 1
    );
  }

  private renewLease(name: string, token: string): void {
    if (this.db.open) this.db.prepare('UPDATE locks SET expires_at = ? WHERE name = ? AND token = ?').run(this.now().getTime() + this.leaseMs, name, token);
  }
}
