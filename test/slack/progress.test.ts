import type { webApi } from '@slack/bolt';
import { describe, expect, it, vi } from 'vitest';
import { progressBlocks } from '../../src/slack/blocks/progress.js';
import type { SlackDeps } from '../../src/slack/context.js';
import { ProgressPacer } from '../../src/slack/edits.js';
import { Thread } from '../../src/slack/thread.js';

/**
 * While a bundle is read, the summary shows how far it got. chat.update is
 * rate limited and every edit is a notification for someone: at most one
 * edit every few seconds per thread, whoever asks, in plain words.
 */
function harness(intervalMs: number) {
  const edits: { ts: string; text: string }[] = [];
  const client = { chat: { update: async (a: { ts: string; text: string }) => void edits.push({ ts: a.ts, text: a.text }) } } as unknown as webApi.WebClient;
  const deps = {
    threads: { thread: async () => ({ summaryTs: '1700000000.000200', meta: {} }) },
    progressIntervalMs: intervalMs,
    progressEdits: new Map<string, number>(),
    // The pace all threads share (pacer.test.ts) is generous here: this is about each thread's own clock.
    pacer: new ProgressPacer(60_000, 100),
    edits: client,
    logger: { child: () => ({ warn: () => undefined }) },
  } as unknown as SlackDeps;
  const thread = () => new Thread(deps, client, 'C1:1700000000.000100', 'C1', '1700000000.000100');
  return { edits, thread, deps };
}

const state = (bytesRead: number) => ({
  file: 'sysdiagnose.tar.gz',
  index: 1,
  count: 2,
  stage: 'scanning' as const,
  bytesRead,
  totalBytes: 80 * 1024 * 1024,
  member: 'logs/apsd.log',
});

describe('read progress in the summary', () => {
  it('edits the summary at most once per interval per thread, even from two files read at once', async () => {
    const { edits, thread } = harness(3000);
    const a = thread();
    const b = thread(); // a second file in the same thread: another Thread object, the same clock
    for (let i = 0; i < 50; i++) (i % 2 ? a : b).progress(state(i * 1024 * 1024));
    await vi.waitFor(() => expect(edits.length).toBeGreaterThan(0));
    await new Promise((r) => setImmediate(r)); // anything else already due has been sent by now
    expect(edits).toHaveLength(1);
  });

  it('another thread has its own clock', async () => {
    const { edits, deps, thread } = harness(3000);
    thread().progress(state(1));
    new Thread(deps, deps.edits, 'C2:1700000001.000100', 'C2', '1700000001.000100').progress(state(1));
    await vi.waitFor(() => expect(edits).toHaveLength(2));
  });

  it('the notification text is plain words: no emoji codes, no mrkdwn', () => {
    const { text, blocks } = progressBlocks(state(12 * 1024 * 1024), 'Found: something');
    expect(text).toMatch(/^pushcheck: Reading sysdiagnose\.tar\.gz \(file 1 of 2\): 12(\.0)? MB of 80(\.0)? MB read — scanning logs \(logs\/apsd\.log\)$/);
    expect(text).not.toMatch(/:[a-z_]+:|\*/);
    expect(JSON.stringify(blocks)).toContain(':hourglass_flowing_sand:'); // the emoji stays in the message itself
  });
});
