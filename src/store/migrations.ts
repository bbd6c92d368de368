/**
 * Schema changes in order, one list per database. A migration is never
 * edited once released: add a new one. Applied versions are recorded in
 * `migrations`. The two lists keep the same versions for the same change.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'sessions, evidence, answers, messages, seen',
    sql: `
      CREATE TABLE sessions (
        key TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        thread_ts TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        summary_ts TEXT,
        meta TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX sessions_updated_at ON sessions(updated_at);
      CREATE TABLE evidence (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_key TEXT NOT NULL REFERENCES sessions(key) ON DELETE CASCADE,
        input TEXT NOT NULL,
        facts TEXT NOT NULL,
        problems TEXT NOT NULL,
        added_by TEXT,
        added_at TEXT NOT NULL
      );
      CREATE INDEX evidence_session ON evidence(session_key);
      CREATE TABLE answers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_key TEXT NOT NULL REFERENCES sessions(key) ON DELETE CASCADE,
        question TEXT NOT NULL,
        value TEXT NOT NULL,
        answered_by TEXT,
        answered_at TEXT
      );
      CREATE INDEX answers_session ON answers(session_key);
      CREATE TABLE messages (
        session_key TEXT NOT NULL REFERENCES sessions(key) ON DELETE CASCADE,
        ts TEXT NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (session_key, ts)
      );
      CREATE TABLE seen (
        key TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX seen_expires ON seen(expires_at);
    `,
  },
  {
    version: 2,
    name: 'scans in flight, thread leases, answers by question',
    sql: `
      CREATE TABLE scans (
        id TEXT PRIMARY KEY,
        session_key TEXT NOT NULL REFERENCES sessions(key) ON DELETE CASCADE,
        input TEXT NOT NULL,
        source TEXT NOT NULL,
        owner TEXT NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        added_by TEXT,
        added_at TEXT NOT NULL
      );
      CREATE INDEX scans_session ON scans(session_key);
      CREATE INDEX scans_owner ON scans(owner);
      CREATE INDEX scans_heartbeat ON scans(heartbeat_at);
      -- Several processes on one SQLite file serialise a thread by a lease row
      -- (Postgres uses advisory locks instead).
      CREATE TABLE locks (
        name TEXT PRIMARY KEY,
        token TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX answers_question ON answers(session_key, question);
    `,
  },
];

/** The same schema in Postgres: identity columns, JSONB for the settings merged in place, BIGINT times in ms. */
export const POSTGRES_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'sessions, evidence, answers, messages, seen',
    sql: `
      CREATE TABLE sessions (
        key TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        thread_ts TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        summary_ts TEXT,
        meta JSONB NOT NULL DEFAULT '{}'
      );
      CREATE INDEX sessions_updated_at ON sessions(updated_at);
      -- Facts stay TEXT: JSONB would reorder their keys, and reports are compared byte for byte.
      CREATE TABLE evidence (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_key TEXT NOT NULL REFERENCES sessions(key) ON DELETE CASCADE,
        input TEXT NOT NULL,
        facts TEXT NOT NULL,
        problems TEXT NOT NULL,
        added_by TEXT,
        added_at TEXT NOT NULL
      );
      CREATE INDEX evidence_session ON evidence(session_key);
      CREATE TABLE answers (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_key TEXT NOT NULL REFERENCES sessions(key) ON DELETE CASCADE,
        question TEXT NOT NULL,
        value TEXT NOT NULL,
        answered_by TEXT,
        answered_at TEXT
      );
      CREATE INDEX answers_session ON answers(session_key);
      CREATE TABLE messages (
        session_key TEXT NOT NULL REFERENCES sessions(key) ON DELETE CASCADE,
        ts TEXT NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (session_key, ts)
      );
      CREATE TABLE seen (
        key TEXT PRIMARY KEY,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX seen_expires ON seen(expires_at);
    `,
  },
  {
    version: 2,
    name: 'scans in flight, answers by question',
    sql: `
      CREATE TABLE scans (
        id TEXT PRIMARY KEY,
        session_key TEXT NOT NULL REFERENCES sessions(key) ON DELETE CASCADE,
        input TEXT NOT NULL,
        source TEXT NOT NULL,
        owner TEXT NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_at BIGINT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        added_by TEXT,
        added_at TEXT NOT NULL
      );
      CREATE INDEX scans_session ON scans(session_key);
      CREATE INDEX scans_owner ON scans(owner);
      CREATE INDEX scans_heartbeat ON scans(heartbeat_at);
      CREATE INDEX answers_question ON answers(session_key, question);
    `,
  },
];
