/**
 * Schema changes in order. A migration is never edited once released: add
 * a new one. Applied versions are recorded in `migrations`.
 */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
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
];
