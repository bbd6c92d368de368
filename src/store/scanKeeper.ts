import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store, ScanRecord } from './types.js';

/** This process's name in the scans it records: host, pid and a nonce (a restarted pid is a new owner). */
export function replicaId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export interface ScanKeeperOptions {
  store: Pick<Store, 'heartbeat' | 'takeStaleScans' | 'releaseScans'>;
  owner: string;
  /** A replica silent for this long is taken for dead; this one beats three times as often. */
  staleMs: number;
  /** Scans this process just took over from a dead one: tell their threads, read them again. */
  onTaken: (scans: ScanRecord[]) => Promise<void> | void;
  onError?: (e: unknown) => void;
}

export interface ScanKeeper {
  /** One beat and one sweep now (also what the timer runs). */
  tick(): Promise<void>;
  /** Stops beating and hands this process's scans over at once. */
  stop(): Promise<void>;
}

/**
 * Keeps this process's scans alive in the store and takes over those of
 * processes that stopped beating (killed, out of memory, a lost machine).
 * Ticks never overlap; a failed tick is reported and the next one tries again.
 */
export function keepScans(opts: ScanKeeperOptions): ScanKeeper {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const once = async () => {
    try {
      await opts.store.heartbeat(opts.owner);
      const taken = await opts.store.takeStaleScans(opts.owner, opts.staleMs);
      if (taken.length) await opts.onTaken(taken);
    } catch (e) {
      opts.onError?.(e);
    }
  };
  const tick = () => (running = running.then(() => (stopped ? undefined : once())));
  const timer = setInterval(() => void tick(), Math.max(50, Math.floor(opts.staleMs / 3)));
  timer.unref();
  void tick();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await opts.store.releaseScans(opts.owner).catch((e: unknown) => opts.onError?.(e));
    },
  };
}
