export { LockTimeoutError, StoreUnavailableError } from './errors.js';
export { openStore, type OpenStoreOptions } from './open.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export type { AnswerRecorded, CaseStore, EvidenceBatch, LockOptions, ScanRecord, CaseInfo, CaseState, Store } from './types.js';
