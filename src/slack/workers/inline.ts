import type { RuleSet } from '../../case/index.js';
import type { CaseMemory } from './cases.js';
import { caseMemoryOnce, JOBS, type JobContext, type JobInput, type JobKind, type JobOutput } from './jobs.js';
import { DEFAULT_CASE_MEMORY, type PoolOptions, type RunOptions, type Runner } from './runner.js';

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
