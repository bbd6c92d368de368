import type { ScanRecord, ScanStore } from './types.js';

/**
 * The Store's methods for reads in flight, passed on to the part of the
 * store that keeps them (`inFlight`): each database has its own, and both
 * stores answer for them the same way.
 */
export abstract class DelegatesScans implements ScanStore {
  protected abstract readonly inFlight: ScanStore;

  beginScan(key: string, scan: { input: string; source: Record<string, unknown>; owner: string; addedBy?: string; addedAt: string }): Promise<ScanRecord> {
    return this.inFlight.beginScan(key, scan);
  }

  endScan(id: string): Promise<void> {
    return this.inFlight.endScan(id);
  }

  heartbeat(owner: string): Promise<number> {
    return this.inFlight.heartbeat(owner);
  }

  releaseScans(owner: string): Promise<number> {
    return this.inFlight.releaseScans(owner);
  }

  takeStaleScans(owner: string, staleMs: number): Promise<ScanRecord[]> {
    return this.inFlight.takeStaleScans(owner, staleMs);
  }

  scans(key: string): Promise<ScanRecord[]> {
    return this.inFlight.scans(key);
  }
}
