import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { JobTimedOut, WorkerStopped } from './errors.js';
import type { JobKind } from './jobs.js';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.js';
import type { RunOptions } from './runner.js';

// Nursery sizes (bench:slack, four 320 MB threads under clicks and four more bundles read: peak RSS
// 484 MB with V8's defaults, 430 MB at 24/16, 396 MB at 16/8; the read's speed did not move measurably).
const YOUNG_SCAN_MB = 16;
const YOUNG_CASE_MB = 8;

/** A job handed to a worker, with what the pool needs to settle or resend it. */
export interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  opts: RunOptions;
  kind: JobKind;
  input: unknown;
  /** This job's deadline in ms (timed from when a worker got it). */
  ms: number;
  timer?: NodeJS.Timeout;
  /** Sent again once already (its first worker was stopped for another job's sake). */
  resent?: boolean;
}

/** One worker thread and the jobs it is running. */
export class PoolWorker {
  readonly jobs = new Map<number, Pending>();
  private readonly worker: Worker;
  dead = false;
  /** Resolves once the worker has loaded its code; rejects if it dies first. */
  readonly loaded: Promise<void>;
  private markLoaded!: () => void;
  private failLoad!: (e: Error) => void;

  constructor(
    setup: WorkerSetup,
    maxHeapMb: number,
    script: URL | undefined,
    private readonly onFree: (w: PoolWorker) => void,
    /** Jobs that were waiting on a worker stopped for another job's deadline. */
    private readonly onStranded: (jobs: Pending[]) => void,
  ) {
    this.loaded = new Promise<void>((resolve, reject) => {
      this.markLoaded = resolve;
      this.failLoad = reject;
    });
    this.loaded.catch(() => undefined);
    this.worker = spawnWorker(setup, maxHeapMb, script);
    this.worker.unref();
    this.worker.on('message', (m: FromWorker) => this.onMessage(m));
    this.worker.on('error', (e) => this.stop(describeCrash(e)));
    this.worker.on('exit', (code) => this.stop(`the worker thread exited (${code})`));
  }

  send(id: number, pending: Pending): void {
    this.jobs.set(id, pending);
    // Timed from when the worker has loaded its code: a fresh worker's start is not the job's fault.
    void this.loaded.then(
      () => {
        if (this.jobs.get(id) !== pending) return;
        pending.timer = setTimeout(() => this.expire(id), pending.ms);
        pending.timer.unref();
      },
      () => undefined,
    );
    this.post({ type: 'run', id, kind: pending.kind, input: pending.input });
  }

  /** A job ran out of time: the worker is stopped (its thread may be stuck in that job) and the others go elsewhere. */
  private expire(id: number): void {
    const late = this.jobs.get(id);
    if (!late || this.dead) return;
    this.jobs.delete(id);
    late.reject(new JobTimedOut(late.kind, late.ms));
    const others = [...this.jobs.values()];
    for (const job of others) clearTimeout(job.timer);
    this.jobs.clear();
    this.stop('it was stopped after another job ran out of time');
    void this.worker.terminate();
    this.onStranded(others);
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'ready') return this.markLoaded();
    const job = this.jobs.get(m.id);
    if (!job) return;
    if (m.type === 'note') job.opts.onNote?.(m.note);
    else if (m.type === 'ask') {
      const answer = job.opts.onAsk ? job.opts.onAsk(m.ask) : Promise.reject(new Error('this job cannot ask for evidence'));
      answer.then(
        (value) => !this.dead && this.post({ type: 'answer', id: m.id, askId: m.askId, value }),
        (e: unknown) => !this.dead && this.post({ type: 'answer', id: m.id, askId: m.askId, error: e instanceof Error ? e.message : String(e) }),
      );
    } else {
      this.jobs.delete(m.id);
      clearTimeout(job.timer);
      if (m.type === 'done') job.resolve(m.value);
      else job.reject(Object.assign(new Error(m.error.message), { name: m.error.name, ...(m.error.code ? { code: m.error.code } : {}) }));
      if (!this.jobs.size) this.onFree(this); // idle: the pool may hand it the next file
    }
  }

  private stop(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.failLoad(new WorkerStopped(reason));
    for (const job of this.jobs.values()) {
      clearTimeout(job.timer);
      job.reject(new WorkerStopped(reason));
    }
    this.jobs.clear();
    this.onFree(this);
  }

  async terminate(): Promise<void> {
    this.stop('the pool closed');
    await this.worker.terminate();
  }
}

function describeCrash(e: Error & { code?: string }): string {
  if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') return 'it needed more memory than the bot lets one piece of work use';
  return `the worker thread failed: ${e.message}`;
}

/** tsx's ESM API (its CommonJS twin does not register for a worker's ESM imports). */
function tsxApi(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
}

/**
 * The worker's code: the compiled worker.js next to this file, or in a
 * source checkout (tests, `tsx src/main.ts`) worker.ts through the tsx
 * loader the process itself runs with.
 */
function spawnWorker(setup: WorkerSetup, maxHeapMb: number, script: URL | undefined): Worker {
  // A small young generation: a worker's garbage is short-lived strings and lines, and each megabyte
  // of nursery is resident in every worker (V8's default lets each grow to 48 MB).
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: setup.lane === 'scan' ? YOUNG_SCAN_MB : YOUNG_CASE_MB };
  if (script) return new Worker(script, { workerData: setup, resourceLimits });
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: setup, resourceLimits });
  const entry = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: setup, resourceLimits });
}
