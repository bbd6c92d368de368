import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, type Call } from './fakeSlack.js';
import { buttonClick, startBot, tempDb, type RunningBot } from './harness.js';

// Two people answer the same question; the click given second reaches the
// bot first (another replica took the other, or the network held it).

const MDM_PLIST = readFileSync(new URL('../../examples/mdm-wrong-magic/MDM.plist', import.meta.url));
let fake: FakeSlack;
let bot: RunningBot;
beforeAll(async () => {
  fake = await new FakeSlack().start();
  bot = await startBot(fake, tempDb());
});
afterAll(async () => {
  await bot.stop();
  await fake.stop();
});

const replies = (root: string) => fake.of('chat.postMessage').filter((c) => c.args.thread_ts === root);
const answerButtons = (update: Call) =>
  (update.args.blocks as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((b) => /^answer_\d+$/.test(b.action_id) && JSON.parse(b.value).v !== 'unknown');

describe('two answers to one question, the later one arriving first', () => {
  it("the later answer stands, and the earlier one's reply says so", async () => {
    const root = '1700300000.000100';
    await bot.event({
      type: 'message',
      subtype: 'file_share',
      channel: 'CAO',
      channel_type: 'channel',
      user: 'U1',
      text: '',
      ts: root,
      files: [fake.addFile('FAO', 'MDM.plist', MDM_PLIST)],
    });
    await fake.waitFor(() => replies(root).length >= 2);
    const summary = (await bot.store.getCase(`CAO:${root}`))!.summaryTs!;
    const [first, second] = answerButtons(
      fake
        .of('chat.update')
        .filter((c) => c.args.ts === summary)
        .at(-1)!,
    );
    const question = JSON.parse(first!.value).q as string;

    // U2 clicked at :01 and reached the bot first; U1 clicked at :00 and arrives after.
    await bot.interaction(buttonClick('CAO', root, summary, second!, 'U2', '1700300001.000001'));
    await fake.waitFor(() => replies(root).find((c) => /<@U2> answered/.test(String(c.args.text))));
    await bot.interaction(buttonClick('CAO', root, summary, first!, 'U1', '1700300000.000001'));
    const late = await fake.waitFor(() => replies(root).find((c) => /<@U1> answered/.test(String(c.args.text))));
    expect(String(late.args.text)).toContain(`<@U2>'s later answer (${second!.text.text}) stands: it was given after this one.`);

    // Both are kept, in the order given; U2's is the one the diagnosis uses.
    const s = (await bot.store.getCase(`CAO:${root}`))!;
    expect(s.answers.filter((a) => a.question === question).map((a) => [a.by, a.value])).toEqual([
      ['U1', JSON.parse(first!.value).v],
      ['U2', JSON.parse(second!.value).v],
    ]);
    const { diagnosis } = await bot.deps.cases.current(`CAO:${root}`);
    expect(diagnosis.facts.find((f) => f.source.kind === 'answer' && f.source.question === question)?.source).toMatchObject({ by: 'U2' });
  });
});
