import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { byStart, scanRecord, type ScanRow } from './rows.js';
import type { ScanRecord, ScanStore } from './types.js';

/** Reads in flight, in the SQLite file: another process on the same file (or this one after a restart) finds stale ones. */
export class SqliteScans implements ScanStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {}

  async beginScan(
    key: string,
    scan: { input: string; source: Record<string, unknown>; owner: string; addedBy?: string; addedAt: string },
  ): Promise<ScanRecord> {
    const row = this.db
      .prepare(
        'INSERT INTO scans (id, case_key, input, source, owner, started_at, heartbeat_at, attempts, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING *',
      )
      .get(
        randomUUID(),
        key,
        scan.input,
        JSON.stringify(scan.source),
        scan.owner,
        this.now().toISOString(),
        this.now().getTime(),
        scan.addedBy ?? null,
        scan.addedAt,
      ) as ScanRow;
    return scanRecord(row);
  }

  async endScan(id: string): Promise<void> {
    this.db.prepare('DELETE FROM scans WHERE id = ?').run(id);
  }

  async heartbeat(owner: string): Promise<number> {
    return this.db.prepare('UPDATE scans SET heartbeat_at = ? WHERE owner = ?').run(this.now().getTime(), owner).changes;
  }

  async releaseScans(owner: string): Promise<number> {
    return this.db.prepare('UPDATE scans SET heartbeat_at = 0 WHERE owner = ?').run(owner).changes;
  }

  async takeStaleScans(owner: string, staleMs: number): Promise<ScanRecord[]> {
    const now = this.now().getTime();
    const rows = this.db
      .prepare('UPDATE scans SET owner = ?, heartbeat_at = ?, attempts = attempts + 1 WHERE heartbeat_at < ? AND owner <> ? RETURNING *')
      .all(owner, now, now - staleMs, owner) as ScanRow[];
    return rows.map(scanRecord).sort(byStart);
  }

  async scans(key: string): Promise<ScanRecord[]> {
    return (this.db.prepare('SELECT * FROM scans WHERE case_key = ? ORDER BY started_at, id').all(key) as ScanRow[]).map(scanRecord);
  }
}
