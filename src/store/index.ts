export { LockTimeoutError, StoreUnavailableError } from './errors.js';
export { openStore, type OpenStoreOptions } from './open.js';
export { keepScans, replicaId, type ScanKeeper } from './scanKeeper.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export type { AnswerRecorded, EvidenceBatch, LockOptions, ScanRecord, SessionInfo, SessionState, Store } from './types.js';
