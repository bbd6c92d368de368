export { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export type { Awaitable, CaseStore, EvidenceBatch, SessionInfo, SessionState, Store } from './types.js';
