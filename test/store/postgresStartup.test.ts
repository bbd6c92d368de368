import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { PG_URL } from './stores.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('starting on a Postgres that cannot be used', () => {
  it('names the variable and where it points, never the password, when nothing answers', async () => {
    const port = await closedPort();
    const started = Date.now();
    const e = await PostgresStore.connect({ url: `postgres://bot:s3cret-pw@127.0.0.1:${port}/pushcheck`, retentionMs: 1000, connectTimeoutMs: 300 }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(StoreUnavailableError);
    expect((e as Error).message).toBe(`PUSHCHECK_DATABASE_URL: cannot use the database at 127.0.0.1:${port}/pushcheck: connection refused`);
    expect((e as Error).message).not.toMatch(/s3cret/);
    // It kept trying for the time it was given (a database still starting), then stopped.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('refuses a URL that is not a postgres:// one', async () => {
    await expect(PostgresStore.connect({ url: 'mysql://db/pushcheck', retentionMs: 1000 })).rejects.toThrow(
      'PUSHCHECK_DATABASE_URL: must be a URL starting with postgres:// or postgresql://',
    );
  });

  it.skipIf(!PG_URL)('stops at once on a database that does not exist (no retry heals it)', async () => {
    const url = new URL(PG_URL!);
    url.pathname = '/no_such_database';
    const started = Date.now();
    const e = await PostgresStore.connect({ url: url.toString(), retentionMs: 1000, connectTimeoutMs: 10_000 }).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(
      /^PUSHCHECK_DATABASE_URL: cannot use the database at 127\.0\.0\.1:\d+\/no_such_database: database "no_such_database" does not exist$/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
