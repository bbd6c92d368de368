export { LockTimeoutError, StoreUnavailableError } from './errors.js';
export { openStore, type OpenStoreOptions } from './open.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { SqliteAsyncStore, type SqliteAsyncStoreOptions } from './sqliteAsync.js';
export type { AnswerRecorded, AsyncStore, EvidenceBatch, LockOptions, ScanRecord, SessionInfo, SessionState, Store } from './types.js';
