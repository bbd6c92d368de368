import { platform, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { caseMemoryOnce, JOBS, type JobContext, type StoredBatch } from './jobs.js';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.js';

/**
 * A worker thread of the pool (pool.ts): runs jobs as the main thread sends
 * them, several at once when they wait (a case asking for its evidence, a
 * model polishing a draft), and keeps its cases in memory between them.
 */
const setup = workerData as WorkerSetup;
// Slack wants an answer within 3 s: the main thread, which acknowledges requests, goes before the
// reading and diagnosing. On Linux a nice value belongs to a thread (setpriority on pid 0 is the
// calling thread there; elsewhere it would be the whole process, so it is left alone).
if (platform() === 'linux' && setup.niceness !== 0) {
  try {
    setPriority(setup.niceness);
  } catch {
    // Not allowed (a container without the capability to renice): the workers run at the bot's own priority.
  }
}
const port = parentPort!;
// Made (engine and rules loaded) only when this worker first evaluates a case.
const cases = caseMemoryOnce(setup.caseMemoryBytes);
const asks = new Map<string, { resolve(v: StoredBatch[]): void; reject(e: Error): void }>();
let askSeq = 0;

const post = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type === 'answer') {
    const waiting = asks.get(`${m.id}:${m.askId}`);
    asks.delete(`${m.id}:${m.askId}`);
    if (m.error !== undefined) waiting?.reject(new Error(m.error));
    else waiting?.resolve(m.value ?? []);
    return;
  }
  const ctx: JobContext = {
    note: (note) => post({ type: 'note', id: m.id, note }),
    ask: (ask) =>
      new Promise<StoredBatch[]>((resolve, reject) => {
        const askId = ++askSeq;
        asks.set(`${m.id}:${askId}`, { resolve, reject });
        post({ type: 'ask', id: m.id, askId, ask });
      }),
    cases,
    ...(setup.rules ? { rules: setup.rules } : {}),
  };
  const job = JOBS[m.kind] as (input: unknown, ctx: JobContext) => Promise<unknown>;
  job(m.input, ctx).then(
    (value) => post({ type: 'done', id: m.id, value }),
    (e: unknown) => {
      const err = e as { name?: string; message?: string; code?: unknown };
      post({
        type: 'fail',
        id: m.id,
        error: { name: err.name ?? 'Error', message: err.message ?? String(e), ...(typeof err.code === 'string' ? { code: err.code } : {}) },
      });
    },
  );
});

// Its lane's code loaded (the readers; or the engine, the renderers and the rules) before the first job needs it.
if (setup.lane === 'scan') await import('./scan.js');
else await cases();
post({ type: 'ready' });
