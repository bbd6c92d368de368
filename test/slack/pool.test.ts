import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseRef, StoredBatch } from '../../src/slack/workers/jobs.js';
import { defaultPoolSize, JobTimedOut, lanes, WorkerPool, WorkerStopped } from '../../src/slack/workers/pool.js';
import { testWorkers } from '../support/built.js';

// The worker threads a bot reads files and diagnoses cases in. A worker that crashes or runs past
// its deadline is replaced; the job that caused it fails with words a thread can show, and the
// pool goes on serving.

const ref = (key: string, batchIds: string[] = [], version = batchIds.join(',')): CaseRef => ({ scope: 'pool-test', key, version, batchIds, answers: [] });
const empty = (id: string): StoredBatch => ({ id, facts: '[]', problems: '[]' });
const never = () => new Promise<StoredBatch[]>(() => undefined);

describe('the pool is sized to the cores', () => {
  it.each([
    [2, { scan: 1, case: 1 }],
    [4, { scan: 3, case: 1 }],
    [8, { scan: 6, case: 2 }],
  ])('%i workers: %o', (size, want) => {
    expect(lanes(size)).toEqual(want);
  });

  it('takes PUSHCHECK_WORKERS, else the cores this process may use', () => {
    expect(defaultPoolSize({ PUSHCHECK_WORKERS: '3' })).toBe(3);
    expect(defaultPoolSize({})).toBeGreaterThanOrEqual(1);
  });
});

describe('a case job that runs past its deadline', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = new WorkerPool({ ...testWorkers(), size: 2, caseJobMs: 400 });
    await pool.ready();
  });
  afterAll(async () => {
    await pool.close();
  });

  it('fails saying it took too long, its worker is replaced, and the next job of the same case is served', async () => {
    const stuck = pool.run('view', { ref: ref('T1', ['b1']) }, { affinity: 'T1', onAsk: never });
    await expect(stuck).rejects.toBeInstanceOf(JobTimedOut);
    await expect(stuck).rejects.toThrow('working out the diagnosis took longer than 400 ms, so it was stopped');
    expect(pool.replaced).toBe(1);

    // The replacement's first job pays for its fresh thread's first calls: on a busy machine that alone can pass 400 ms.
    const view = await pool.run('view', { ref: ref('T1', ['b1']) }, { affinity: 'T1', onAsk: async () => [empty('b1')], timeoutMs: 60_000 });
    expect(view).toMatchObject({ version: 'b1', empty: false });
  });

  it('the other jobs waiting on that worker are sent to its replacement and still answered', async () => {
    // One case worker: both cases share it. The first never gets its evidence; the second is merely slow to.
    let asked = 0;
    let first!: () => void;
    const slow = (): Promise<StoredBatch[]> => {
      asked++;
      if (asked === 1) return new Promise((r) => (first = () => r([empty('c1')])));
      return Promise.resolve([empty('c1')]);
    };
    const stuck = pool.run('view', { ref: ref('T2', ['b2']) }, { affinity: 'T2', onAsk: never });
    const bystander = pool.run('view', { ref: ref('T3', ['c1']) }, { affinity: 'T3', onAsk: slow, timeoutMs: 60_000 });
    await expect(stuck).rejects.toBeInstanceOf(JobTimedOut);
    first(); // the answer reaches a stopped worker: dropped; the replacement asks again
    await expect(bystander).resolves.toMatchObject({ version: 'c1' });
    expect(asked).toBe(2);
  });
});

describe('a worker that runs out of memory', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = new WorkerPool({ ...testWorkers(), size: 2, maxHeapMb: 64 });
    await pool.ready();
  });
  afterAll(async () => {
    await pool.close();
  });

  it('fails only its own job, with plain words, and is replaced for the next one', async () => {
    // About 40 MB of facts as JSON: parsed, far more than a 64 MB heap holds.
    const huge = `[${Array.from({ length: 400_000 }, (_, i) => `{"id":"x.${i}","value":"${'v'.repeat(40)}","source":{"input":"a","line":${i}}}`).join(',')}]`;
    const crashed = pool.run('view', { ref: ref('T4', ['big']) }, { affinity: 'T4', onAsk: async () => [{ id: 'big', facts: huge, problems: '[]' }] });
    await expect(crashed).rejects.toBeInstanceOf(WorkerStopped);
    await expect(crashed).rejects.toThrow('it needed more memory than the bot lets one piece of work use');

    await expect(pool.run('view', { ref: ref('T4') }, { affinity: 'T4' })).resolves.toMatchObject({ empty: true });
    expect(pool.replaced).toBe(1);
  }, 60_000);
});

describe('a case worker keeps each case', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    // The worker from the sources, as `tsx src/main.ts` starts it (the other pools here run the bundled worker).
    pool = new WorkerPool({ size: 2, niceness: 0 });
    await pool.ready();
  });
  afterAll(async () => {
    await pool.close();
  });

  it('diagnoses a case once per version of its evidence and answers, however many jobs read it', async () => {
    const r = ref('T5', ['d1']);
    const onAsk = async () => [empty('d1')];
    const before = (await pool.run('stats', {}, { affinity: 'T5' })).evaluations;
    await pool.run('view', { ref: r }, { affinity: 'T5', onAsk });
    await pool.run('markdown', { ref: r }, { affinity: 'T5', onAsk });
    await pool.run('moreQuestions', { ref: r }, { affinity: 'T5', onAsk });
    await pool.run('view', { ref: r }, { affinity: 'T5', onAsk });
    expect((await pool.run('stats', {}, { affinity: 'T5' })).evaluations - before).toBe(1);
    await pool.run(
      'view',
      { ref: { ...r, version: 'd1|answered', answers: [{ question: 'q.x', value: 'yes', by: 'U1', at: '2024-01-01T00:00:00Z' }] } },
      { affinity: 'T5', onAsk },
    );
    expect((await pool.run('stats', {}, { affinity: 'T5' })).evaluations - before).toBe(2);
  });
});
