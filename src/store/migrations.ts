/**
 * Schema changes in order, one list per database. A migration is never
 * edited once released: add a new one. Applied versions are recorded in
 * `migrations`. The two lists keep the same versions for the same change.
 * The case was first called a session: versions 1 and 2 create `sessions`
 * and `session_key`, version 3 renames them.
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
  {
    version: 3,
    name: 'sessions renamed cases, session_key renamed case_key',
    // ALTER TABLE … RENAME keeps every row and rewrites the REFERENCES clauses
    // of the other tables; SQLite cannot rename an index, so the indexes named
    // after sessions are made again under their new names.
    sql: `
      ALTER TABLE sessions RENAME TO cases;
      ALTER TABLE evidence RENAME COLUMN session_key TO case_key;
      ALTER TABLE answers RENAME COLUMN session_key TO case_key;
      ALTER TABLE messages RENAME COLUMN session_key TO case_key;
      ALTER TABLE scans RENAME COLUMN session_key TO case_key;
      DROP INDEX sessions_updated_at;
      CREATE INDEX cases_updated_at ON cases(updated_at);
      DROP INDEX evidence_session;
      CREATE INDEX evidence_case ON evidence(case_key);
      DROP INDEX answers_session;
      CREATE INDEX answers_case ON answers(case_key);
      DROP INDEX scans_session;
      CREATE INDEX scans_case ON scans(case_key);
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
  {
    version: 3,
    name: 'sessions renamed cases, session_key renamed case_key',
    // Renames only: rows, identity sequences and foreign keys (bound to the
    // table, not its name) stay as they are. The constraints Postgres named
    // after the old names are renamed too, so an upgraded schema and a new one
    // look the same.
    sql: `
      ALTER TABLE sessions RENAME TO cases;
      ALTER TABLE cases RENAME CONSTRAINT sessions_pkey TO cases_pkey;
      ALTER INDEX sessions_updated_at RENAME TO cases_updated_at;
      ALTER TABLE evidence RENAME COLUMN session_key TO case_key;
      ALTER TABLE evidence RENAME CONSTRAINT evidence_session_key_fkey TO evidence_case_key_fkey;
      ALTER INDEX evidence_session RENAME TO evidence_case;
      ALTER TABLE answers RENAME COLUMN session_key TO case_key;
      ALTER TABLE answers RENAME CONSTRAINT answers_session_key_fkey TO answers_case_key_fkey;
      ALTER INDEX answers_session RENAME TO answers_case;
      ALTER TABLE messages RENAME COLUMN session_key TO case_key;
      ALTER TABLE messages RENAME CONSTRAINT messages_session_key_fkey TO messages_case_key_fkey;
      ALTER TABLE scans RENAME COLUMN session_key TO case_key;
      ALTER TABLE scans RENAME CONSTRAINT scans_session_key_fkey TO scans_case_key_fkey;
      ALTER INDEX scans_session RENAME TO scans_case;
    `,
  },
];
