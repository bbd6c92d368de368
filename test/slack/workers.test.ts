import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, type Call } from './fakeSlack.js';
import { blocksText, botWithOwnWorkers, fileShare, buttonClick } from './harness.js';

// A thread's evidence is read and diagnosed in worker threads. The bot keeps each thread's latest
// report: a click that changes nothing (More questions, Show all evidence, chatter) is answered from
// it, and only new evidence or a new answer is diagnosed again. A reader that gets stuck is stopped
// and the thread is told, while the bot goes on serving.

const MDM_PLIST = readFileSync(new URL('../../examples/mdm-wrong-magic/MDM.plist', import.meta.url));

let fake: FakeSlack;
beforeAll(async () => {
  fake = await new FakeSlack().start();
});
afterAll(async () => {
  await fake.stop();
});

type Button = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (c: Call): Button[] =>
  ((c.args.blocks ?? []) as { type: string; elements?: Button[] }[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
const replies = (channel: string, ts: string) => fake.of('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === ts);
const replyMatching = (channel: string, ts: string, re: RegExp) => fake.waitFor(() => replies(channel, ts).find((c) => re.test(String(c.args.text))), 15_000);

describe('a thread whose case is kept by a worker', () => {
  const own = botWithOwnWorkers(() => fake);

  it('is diagnosed once for its file; More questions, Show all evidence and chatter do not diagnose it again; an answer does, once', async () => {
    const { bot } = own;
    const ts = '1700700001.000100';
    const key = `CW1:${ts}`;
    await bot.event(fileShare('CW1', ts, [fake.addFile('FW1', 'MDM.plist', MDM_PLIST)]));
    await replyMatching('CW1', ts, /MDM\.plist\*: \d+ observations read/);
    const diagnosed = async () => (await bot.deps.views.stats(key)).evaluations;
    const afterFile = await diagnosed();
    expect(afterFile).toBe(1);

    const summaryTs = (await bot.store.thread(key))!.summaryTs!;
    const summary = fake
      .of('chat.update')
      .filter((c) => c.args.ts === summaryTs)
      .at(-1)!;
    const click = (action_id: string, at: string) =>
      bot.interaction(buttonClick('CW1', ts, summaryTs, buttonsOf(summary).find((b) => b.action_id === action_id)!, 'U2', at));

    expect((await click('more_questions', '1700700002.000001')).status).toBe(200);
    await replyMatching('CW1', ts, /more questions?:/);
    expect((await click('show_all_evidence', '1700700003.000001')).status).toBe(200);
    await fake.waitFor(() => fake.of('files.completeUploadExternal').find((c) => c.args.thread_ts === ts));
    await bot.event({
      type: 'message',
      channel: 'CW1',
      channel_type: 'channel',
      user: 'U1',
      text: 'thanks, looking at it',
      ts: '1700700004.000100',
      thread_ts: ts,
    });
    await bot.deps.work.idle();
    expect(await diagnosed()).toBe(afterFile);

    const answer = buttonsOf(summary).find((b) => /^answer_\d+$/.test(b.action_id))!;
    await bot.interaction(buttonClick('CW1', ts, summaryTs, answer, 'U2', '1700700005.000001'));
    await replyMatching('CW1', ts, /<@U2> answered/);
    expect(await diagnosed()).toBe(afterFile + 1);
  });
});

describe('a reader that runs past its deadline (1.5 s here)', () => {
  const own = botWithOwnWorkers(() => fake, { maxScanMs: 1500 });

  it('is stopped: the thread says reading the file took too long, the summary no longer says it is reading, and the next file is read by a new worker', async () => {
    const { bot, pool } = own;
    const release = fake.noAnswer('stuck.plist');
    try {
      const ts = '1700700101.000100';
      await bot.event(fileShare('CW2', ts, [fake.addFile('FW2', 'stuck.plist', MDM_PLIST)]));
      const told = await replyMatching('CW2', ts, /stuck\.plist/);
      expect(String(told.args.text)).toMatch(/^:x: pushcheck could not read stuck\.plist: reading it took longer than 1500 ms, so it was stopped\n/);
      await bot.deps.work.idle();
      const summaryTs = (await bot.store.thread(`CW2:${ts}`))!.summaryTs!;
      expect(
        blocksText(
          fake
            .of('chat.update')
            .filter((c) => c.args.ts === summaryTs)
            .at(-1)!.args,
        ),
      ).not.toMatch(/downloading|Reading \*stuck/);
    } finally {
      release();
    }
    expect(pool.replaced).toBe(1);
    // The deadline was for the stuck reader: on a loaded machine a fresh worker's first read can itself pass 1.5 s.
    pool.maxScanMs = Number.POSITIVE_INFINITY;

    const ts = '1700700102.000100';
    await bot.event(fileShare('CW2', ts, [fake.addFile('FW3', 'MDM.plist', MDM_PLIST)]));
    await replyMatching('CW2', ts, /MDM\.plist\*: \d+ observations read/);
    expect(pool.replaced).toBe(1);
  });
});
