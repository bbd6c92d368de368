import type { webApi } from '@slack/bolt';
import { splitKey, type SlackDeps } from './context.js';
import { Thread } from './thread.js';

/**
 * A button's work on its thread: after the thread's queued work, with a
 * plain message in the thread if it fails ("pushcheck could not …").
 * Nothing happens for a session that no longer exists.
 */
export async function inThread(deps: SlackDeps, client: webApi.WebClient, key: string, what: string, work: (thread: Thread) => Promise<void>): Promise<void> {
  if (!(await deps.cases.has(key))) return;
  const { channel, threadTs } = splitKey(key);
  return deps.queue.run(key, async () => {
    const thread = new Thread(deps, client, key, channel, threadTs);
    try {
      await work(thread);
    } catch (e) {
      await thread.fail(what, e);
    }
  });
}
