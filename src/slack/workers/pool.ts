import { availableParallelism } from 'node:os';
import { WorkerStopped } from './errors.js';
import { InlineRunner } from './inline.js';
import type { JobInput, JobKind, JobOutput } from './jobs.js';
import { type Pending, PoolWorker } from './poolWorker.js';
import type { WorkerSetup } from './protocol.js';
import { DEFAULT_CASE_MEMORY, type PoolOptions, type RunOptions, type Runner, WORKER_NICENESS } from './runner.js';

// The pool's public face: its errors and the inline runner are imported from here too.
export { JobTimedOut, WorkerStopped } from './errors.js';
export { InlineRunner } from './inline.js';

/** Case workers and scan workers for a pool of `size`: a quarter (at least one) keep cases, the rest read. */
export function lanes(size: number): { scan: number; case: number } {
  const cases = Math.max(1, Math.floor(size / 4));
  return { case: cases, scan: Math.max(1, size - cases) };
}

/** The default pool size: PUSHCHECK_WORKERS, or the cores this process may use. */
export function defaultPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.PUSHCHECK_WORKERS);
  return Number.isInteger(n) && n >= 0 ? n : availableParallelism();
}

/** A stable lane for a case key. */
function slot(key: string, n: number): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return h % n;
}

/** The runner of the bot: worker threads in the two lanes described on `Runner`. */
export class WorkerPool implements Runner {
  private readonly scanWorkers: (PoolWorker | undefined)[];
  private readonly caseWorkers: (PoolWorker | undefined)[];
  private readonly scanQueue: { id: number; pending: Pending }[] = [];
  private seq = 0;
  private closed = false;
  private readonly setup: Omit<WorkerSetup, 'lane'>;
  private readonly maxHeapMb: number;
  private readonly caseJobMs: number;
  private readonly workerScript: URL | undefined;
  /** Workers replaced so far (after a crash or a deadline), for tests and logs. */
  replaced = 0;
  /** See PoolOptions.maxScanMs; a test may lift it for the reads after its stuck one. */
  maxScanMs: number;

  constructor(opts: PoolOptions = {}) {
    const n = lanes(Math.max(2, opts.size ?? defaultPoolSize()));
    this.scanWorkers = Array.from({ length: n.scan });
    this.caseWorkers = Array.from({ length: n.case });
    this.setup = {
      ...(opts.rules ? { rules: opts.rules } : {}),
      caseMemoryBytes: opts.caseMemoryBytes ?? DEFAULT_CASE_MEMORY,
      niceness: opts.niceness ?? WORKER_NICENESS,
    };
    this.maxHeapMb = opts.maxHeapMb ?? 768;
    this.caseJobMs = opts.caseJobMs ?? 120_000;
    this.maxScanMs = opts.maxScanMs ?? Number.POSITIVE_INFINITY;
    this.workerScript = opts.workerScript;
  }

  get size(): { scan: number; case: number } {
    return { scan: this.scanWorkers.length, case: this.caseWorkers.length };
  }

  run<K extends JobKind>(kind: K, input: JobInput<K>, opts: RunOptions = {}): Promise<JobOutput<K>> {
    if (this.closed) return Promise.reject(new WorkerStopped('the pool closed'));
    const id = ++this.seq;
    return new Promise<JobOutput<K>>((resolve, reject) => {
      const ms = Math.min(opts.timeoutMs ?? this.caseJobMs, kind === 'scan' ? this.maxScanMs : Number.POSITIVE_INFINITY);
      this.submit(id, { resolve: resolve as (v: unknown) => void, reject, opts, kind, input, ms });
    });
  }

  private submit(id: number, pending: Pending, first = false): void {
    if (pending.kind === 'scan') {
      if (first) this.scanQueue.unshift({ id, pending });
      else this.scanQueue.push({ id, pending });
      this.dispatchScans();
      return;
    }
    const i = slot(pending.opts.affinity ?? String(id), this.caseWorkers.length);
    this.workerAt(this.caseWorkers, i).send(id, pending);
  }

  /** A stopped worker's bystanders: each is sent once more (to a fresh worker), then fails like the rest. */
  private resend(jobs: Pending[]): void {
    for (const job of jobs) {
      if (this.closed || job.resent) {
        job.reject(new WorkerStopped(this.closed ? 'the pool closed' : 'its worker was stopped twice while it waited'));
        continue;
      }
      job.resent = true;
      this.submit(++this.seq, job, true);
    }
  }

  private workerAt(list: (PoolWorker | undefined)[], i: number): PoolWorker {
    let w = list[i];
    if (!w || w.dead) {
      w = new PoolWorker(
        { ...this.setup, lane: list === this.scanWorkers ? 'scan' : 'case' },
        this.maxHeapMb,
        this.workerScript,
        (gone) => {
          if (gone.dead && list[i] === gone) {
            list[i] = undefined;
            if (!this.closed) this.replaced++;
          }
          if (list === this.scanWorkers) this.dispatchScans();
        },
        (jobs) => this.resend(jobs),
      );
      list[i] = w;
    }
    return w;
  }

  /** One file per scan worker: the next waiting file goes to the first idle one. */
  private dispatchScans(): void {
    for (let i = 0; i < this.scanWorkers.length && this.scanQueue.length; i++) {
      const w = this.scanWorkers[i];
      if (w && !w.dead && w.jobs.size) continue;
      const next = this.scanQueue.shift()!;
      this.workerAt(this.scanWorkers, i).send(next.id, next.pending);
    }
  }

  async ready(): Promise<void> {
    const all = [...this.scanWorkers.map((_, i) => this.workerAt(this.scanWorkers, i)), ...this.caseWorkers.map((_, i) => this.workerAt(this.caseWorkers, i))];
    await Promise.all(all.map((w) => w.loaded));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.scanQueue.splice(0)) q.pending.reject(new WorkerStopped('the pool closed'));
    await Promise.all([...this.scanWorkers, ...this.caseWorkers].map((w) => w?.terminate()));
  }
}

/** Worker threads unless PUSHCHECK_WORKERS=0 (or `size` 0) asks for the calling thread. */
export function createRunner(opts: PoolOptions = {}): Runner {
  const size = opts.size ?? defaultPoolSize();
  return size === 0 ? new InlineRunner(opts) : new WorkerPool({ ...opts, size });
}
