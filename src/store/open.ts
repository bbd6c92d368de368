import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** postgres://… (PUSHCHECK_DATABASE_URL): the shared store for several replicas. */
  databaseUrl?: string;
  /** The SQLite file used otherwise (PUSHCHECK_DB). */
  sqlitePath: string;
  retentionMs: number;
  /** Errors of idle database connections, for the log. */
  onError?: (e: Error) => void;
}

/**
 * The store the settings ask for: Postgres when a database URL is set,
 * otherwise the embedded SQLite file. Postgres is loaded only when used, so
 * a one-process install never pays for its client.
 */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  if (opts.databaseUrl) {
    const { PostgresStore } = await import('./postgres.js');
    return PostgresStore.connect({ url: opts.databaseUrl, retentionMs: opts.retentionMs, ...(opts.onError ? { onError: opts.onError } : {}) });
  }
  return new SqliteStore({ path: opts.sqlitePath, retentionMs: opts.retentionMs });
}
