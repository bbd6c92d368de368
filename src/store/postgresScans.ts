import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { byStart, scanRecord, type ScanRow } from './rows.js';
import type { ScanRecord, ScanStore } from './types.js';

/** Reads in flight, in the shared database: any replica may find another's stale scans and take them over. */
export class PostgresScans implements ScanStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => Date,
  ) {}

  async beginScan(
    key: string,
    scan: { input: string; source: Record<string, unknown>; owner: string; addedBy?: string; addedAt: string },
  ): Promise<ScanRecord> {
    const now = this.now();
    const { rows } = await this.pool.query<ScanRow>(
      'INSERT INTO scans (id, case_key, input, source, owner, started_at, heartbeat_at, attempts, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) RETURNING *',
      [randomUUID(), key, scan.input, JSON.stringify(scan.source), scan.owner, now.toISOString(), now.getTime(), scan.addedBy ?? null, scan.addedAt],
    );
    return scanRecord(rows[0]!);
  }

  async endScan(id: string): Promise<void> {
    await this.pool.query('DELETE FROM scans WHERE id = $1', [id]);
  }

  async heartbeat(owner: string): Promise<number> {
    return (await this.pool.query('UPDATE scans SET heartbeat_at = $2 WHERE owner = $1', [owner, this.now().getTime()])).rowCount ?? 0;
  }

  async releaseScans(owner: string): Promise<number> {
    return (await this.pool.query('UPDATE scans SET heartbeat_at = 0 WHERE owner = $1', [owner])).rowCount ?? 0;
  }

  async takeStaleScans(owner: string, staleMs: number): Promise<ScanRecord[]> {
    const now = this.now().getTime();
    // A row another sweeper updated first no longer matches when this one re-checks it: each scan goes to one owner.
    const { rows } = await this.pool.query<ScanRow>(
      'UPDATE scans SET owner = $1, heartbeat_at = $2, attempts = attempts + 1 WHERE heartbeat_at < $3 AND owner <> $1 RETURNING *',
      [owner, now, now - staleMs],
    );
    return rows.map(scanRecord).sort(byStart);
  }

  async scans(key: string): Promise<ScanRecord[]> {
    return (await this.pool.query<ScanRow>('SELECT * FROM scans WHERE case_key = $1 ORDER BY started_at, id', [key])).rows.map(scanRecord);
  }
}
