import type { RuleSet } from '../../case/index.js';
import type { Ask, JobKind, ScanNote, StoredBatch } from './jobs.js';

/** What a worker is started with. */
export interface WorkerSetup {
  /** What the worker is for: its code is loaded before it says it is ready. */
  lane: 'scan' | 'case';
  /** The bot's own rules; absent: the shipped ones. */
  rules?: RuleSet;
  caseMemoryBytes: number;
  /** How much lower than the bot's main thread the worker runs (Linux thread nice value). */
  niceness: number;
}

/** Main thread → worker. */
export type ToWorker =
  | { type: 'run'; id: number; kind: JobKind; input: unknown }
  | { type: 'answer'; id: number; askId: number; value?: StoredBatch[]; error?: string };

/** Worker → main thread. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'note'; id: number; note: ScanNote }
  | { type: 'ask'; id: number; askId: number; ask: Ask }
  | { type: 'done'; id: number; value: unknown }
  | { type: 'fail'; id: number; error: { name: string; message: string; code?: string } };
