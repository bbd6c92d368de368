import type { RuleSet } from '../../case/index.js';
import type { Ask, JobInput, JobKind, JobOutput, ScanNote, StoredBatch } from './jobs.js';

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
  /**
   * No file's read may take longer than this, whatever its download and read limits allow (tests: a
   * stuck reader stopped in seconds). Case jobs keep their own deadlines: on a busy machine a first
   * diagnosis in a fresh, low-priority worker can itself take seconds.
   */
  maxScanMs?: number;
  /**
   * How much lower than the bot's main thread the workers run (default 10): Slack wants its answer
   * within 3 s, so the main thread goes first. Tests run them at 0: there the other test files'
   * processes, not the bot, compete for the cores, and they would starve niced workers.
   */
  niceness?: number;
  /** The worker's code, when not the one beside this module (tests: worker.ts bundled once, not compiled by tsx in every thread). */
  workerScript?: URL;
}

/** The workers' default nice value (see PoolOptions.niceness). */
export const WORKER_NICENESS = 10;

/** About eight 320 MB bundles' evidence (4.3 MB of facts as JSON each) and their deflated reports. */
export const DEFAULT_CASE_MEMORY = 48 * 1024 * 1024;
