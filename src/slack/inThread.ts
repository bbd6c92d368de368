import type { webApi } from '@slack/bolt';
import { splitKey, type SlackDeps } from './context.js';
import { Thread } from './thread.js';

/**
 * A button's work on its thread: under the thread's lock (after the work
 * any replica is applying to the thread, never beside it), tracked so that
 * a stopping process lets it finish, with a plain message in the thread if
 * it fails ("pushcheck could not …"). Nothing happens for a thread that
 * no longer exists.
 */
export function inThread(deps: SlackDeps, client: webApi.WebClient, key: string, what: string, work: (thread: Thread) => Promise<void>): Promise<void> {
  const { channel, threadTs } = splitKey(key);
  const thread = new Thread(deps, client, key, channel, threadTs);
  return deps.work.track(async () => {
    if (!(await deps.cases.has(key))) return;
    await deps.threads.withThreadLock(key, () => work(thread)).catch((e: unknown) => thread.fail(what, e));
  });
}
