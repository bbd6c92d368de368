export { LockTimeoutError, StoreUnavailableError } from './errors.js';
export { openStore, type OpenStoreOptions } from './open.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export type { AnswerRecorded, CaseStore, EvidenceBatch, LockOptions, ScanRecord, SessionInfo, SessionState, Store } from './types.js';
