export { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export type { EvidenceBatch, SessionInfo, SessionState, Store } from './types.js';
