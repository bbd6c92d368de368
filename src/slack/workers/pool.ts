import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RuleSet } from '../../case/index.js';
import type { CaseMemory } from './cases.js';
import { caseMemoryOnce, JOBS, type Ask, type JobContext, type JobInput, type JobKind, type JobOutput, type ScanNote, type StoredBatch } from './jobs.js';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.js';

/**
 * Where a Slack thread's heavy work runs. Two lanes, so that a click never
 * waits behind a bundle being read:
 * - scan: downloading and reading files, one file per worker at a time
 *   (a 300 MB bundle keeps a core busy for seconds and holds ~100 MB);
 * - case: evaluating cases and rendering what threads show. A case always
 *   goes to the same case worker, which keeps its parsed evidence and
 *   latest report between clicks.
 * A worker that dies (out of memory, a crash) fails only its own jobs and
 * is replaced on the next job. A job that runs past its deadline (a reader
 * stuck in a loop cannot be interrupted from inside: its thread is busy)
 * has its worker stopped: that job fails, saying it took too long, and the
 * worker's other jobs, innocent bystanders, go to its replacement once.
 */
export interface Runner {
  run<K extends JobKind>(kind: K, input: JobInput<K>, opts?: RunOptions): Promise<JobOutput<K>>;
  /** Starts every worker and resolves once each has loaded its code (so the first file shared does not wait for it). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface RunOptions {
  /** The case a job is about (keeps each case on one case worker). */
  affinity?: string;
  onNote?: (note: ScanNote) => void;
  onAsk?: (ask: Ask) => Promise<StoredBatch[]>;
  /** How long the job may take before its worker is stopped (default: `caseJobMs` of the pool; scans should say). */
  timeoutMs?: number;
}

export interface PoolOptions {
  /** Workers in all (default: the machine's cores, at least 2: one per lane). */
  size?: number;
  /** The bot's own rules, when not the shipped ones (handed to each worker once). */
  rules?: RuleSet;
  /** JSON of parsed evidence a case worker keeps before dropping the least recent cases (default 96 MB). */
  caseMemoryBytes?: number;
  /** A worker's heap limit: a pathological input ends that worker, not the bot (default 768 MB). */
  maxHeapMb?: number;
  /** How long a job without a deadline of its own may take (default 2 minutes: a 320 MB bundle's case evaluates in about a second). */
  caseJobMs?: number;
  /** No job may take longer than this, whatever it asks for (tests). */
  maxJobMs?: number;
  /** The worker's code, when not the one beside this module (tests: worker.ts bundled once, not compiled by tsx in every thread). */
  workerScript?: URL;
}

/** About eight 320 MB bundles' evidence (4.3 MB of facts as JSON each) and their deflated reports. */
const DEFAULT_CASE_MEMORY = 48 * 1024 * 1024;
// Nursery sizes (bench:slack, four 320 MB threads under clicks and four more bundles read: peak RSS
// 484 MB with V8's defaults, 430 MB at 24/16, 396 MB at 16/8; the read's speed did not move measurably).
const YOUNG_SCAN_MB = 16;
const YOUNG_CASE_MB = 8;

/** A job failed because its worker stopped (out of memory, crashed, or the pool closed). */
export class WorkerStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerStopped';
  }
}

/** A job ran past its deadline; its worker was stopped (and is replaced). */
export class JobTimedOut extends WorkerStopped {
  constructor(
    readonly kind: JobKind,
    readonly ms: number,
  ) {
    super(`${kind === 'scan' ? 'reading it' : 'working out the diagnosis'} took longer than ${duration(ms)}, so it was stopped`);
    this.name = 'JobTimedOut';
  }
}

function duration(ms: number): string {
  if (ms >= 120_000) return `${Math.round(ms / 60_000)} minutes`;
  if (ms >= 2000) return `${Math.round(ms / 1000)} seconds`;
  return `${ms} ms`;
}

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

interface Pending {
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
class PoolWorker {
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

export class WorkerPool implements Runner {
  private readonly scanWorkers: (PoolWorker | undefined)[];
  private readonly caseWorkers: (PoolWorker | undefined)[];
  private readonly scanQueue: { id: number; pending: Pending }[] = [];
  private seq = 0;
  private closed = false;
  private readonly setup: Omit<WorkerSetup, 'lane'>;
  private readonly maxHeapMb: number;
  private readonly caseJobMs: number;
  private readonly maxJobMs: number;
  private readonly workerScript: URL | undefined;
  /** Workers replaced so far (after a crash or a deadline), for tests and logs. */
  replaced = 0;

  constructor(opts: PoolOptions = {}) {
    const n = lanes(Math.max(2, opts.size ?? defaultPoolSize()));
    this.scanWorkers = Array.from({ length: n.scan });
    this.caseWorkers = Array.from({ length: n.case });
    this.setup = { ...(opts.rules ? { rules: opts.rules } : {}), caseMemoryBytes: opts.caseMemoryBytes ?? DEFAULT_CASE_MEMORY };
    this.maxHeapMb = opts.maxHeapMb ?? 768;
    this.caseJobMs = opts.caseJobMs ?? 120_000;
    this.maxJobMs = opts.maxJobMs ?? Number.POSITIVE_INFINITY;
    this.workerScript = opts.workerScript;
  }

  get size(): { scan: number; case: number } {
    return { scan: this.scanWorkers.length, case: this.caseWorkers.length };
  }

  run<K extends JobKind>(kind: K, input: JobInput<K>, opts: RunOptions = {}): Promise<JobOutput<K>> {
    if (this.closed) return Promise.reject(new WorkerStopped('the pool closed'));
    const id = ++this.seq;
    return new Promise<JobOutput<K>>((resolve, reject) => {
      const ms = Math.min(opts.timeoutMs ?? this.caseJobMs, this.maxJobMs);
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

/**
 * The same jobs on the calling thread: for PUSHCHECK_WORKERS=0 and tests
 * that do not need the threads themselves. One memory of cases, as one
 * case worker would have.
 */
export class InlineRunner implements Runner {
  private readonly cases: () => Promise<CaseMemory>;
  private readonly rules: RuleSet | undefined;

  constructor(opts: Pick<PoolOptions, 'rules' | 'caseMemoryBytes'> & { memory?: CaseMemory } = {}) {
    this.cases = caseMemoryOnce(opts.caseMemoryBytes ?? DEFAULT_CASE_MEMORY, opts.memory);
    this.rules = opts.rules;
  }

  async run<K extends JobKind>(kind: K, input: JobInput<K>, opts: RunOptions = {}): Promise<JobOutput<K>> {
    const ctx: JobContext = {
      note: (n) => opts.onNote?.(n),
      ask: (q) => (opts.onAsk ? opts.onAsk(q) : Promise.reject(new Error('this job cannot ask for evidence'))),
      cases: this.cases,
      ...(this.rules ? { rules: this.rules } : {}),
    };
    const job = JOBS[kind] as (input: JobInput<K>, ctx: JobContext) => Promise<JobOutput<K>>;
    return job(input, ctx);
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {}
}

/** Worker threads unless PUSHCHECK_WORKERS=0 (or `size` 0) asks for the calling thread. */
export function createRunner(opts: PoolOptions = {}): Runner {
  const size = opts.size ?? defaultPoolSize();
  return size === 0 ? new InlineRunner(opts) : new WorkerPool({ ...opts, size });
}
