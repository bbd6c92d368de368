import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, type Call } from './fakeSlack.js';
import { blocksText, startBot, tempDb, type RunningBot } from './harness.js';

/**
 * The summary keeps to what a person reads in thirty seconds; the rest is
 * one click away: "More questions" posts the questions it leaves out (with
 * their buttons), "Show all evidence" attaches the full report as Markdown.
 */
const MDM_PLIST = readFileSync(new URL('../../examples/mdm-wrong-magic/MDM.plist', import.meta.url));
const DEVICE_MAGIC = '8E41B7C2-5D0A-4F93-A6E1-3C7B29D054F8';

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

type Button = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (c: Call): Button[] =>
  (c.args.blocks as { type: string; elements?: Button[] }[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

async function thread(channel: string, ts: string) {
  const file = fake.addFile(`F-${channel}`, 'MDM.plist', MDM_PLIST);
  await bot.event({ type: 'message', subtype: 'file_share', channel, channel_type: 'channel', user: 'U1', text: '', ts, files: [file] });
  await fake.waitFor(() => fake.of('chat.postMessage').filter((c) => c.args.thread_ts === ts).length >= 2);
  const summaryTs = (await bot.store.getCase(`${channel}:${ts}`))!.summaryTs!;
  const summary = fake
    .of('chat.update')
    .filter((c) => c.args.ts === summaryTs)
    .at(-1)!;
  return { summaryTs, summary };
}

function click(channel: string, root: string, messageTs: string, button: Button, actionTs: string) {
  return bot.interaction({
    type: 'block_actions',
    user: { id: 'U2', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    team: { id: 'T1' },
    trigger_id: `trig-${actionTs}`,
    container: { type: 'message', message_ts: messageTs, channel_id: channel },
    channel: { id: channel },
    message: { ts: messageTs, thread_ts: root },
    actions: [{ type: 'button', action_id: button.action_id, block_id: 'b', value: button.value, action_ts: actionTs }],
  });
}

describe('the summary asks the top three questions', () => {
  it('"More questions" posts the rest in the thread, each with its answer buttons', async () => {
    const root = '1700009000.000100';
    const { summaryTs, summary } = await thread('CQ', root);
    const asked = blocksText(summary.args)
      .split('\n')
      .filter((l) => l.startsWith(':question:'));
    expect(asked).toHaveLength(3);
    const more = buttonsOf(summary).find((b) => b.action_id === 'more_questions')!;
    const count = Number(/\((\d+)\)/.exec(more.text.text)![1]);
    expect(count).toBeGreaterThan(0);

    await click('CQ', root, summaryTs, more, '1700009001.000001');
    const reply = await fake.waitFor(() => fake.of('chat.postMessage').find((c) => c.args.thread_ts === root && /more questions?:/.test(String(c.args.text))));
    const text = blocksText(reply.args);
    expect(text.split('\n').filter((l) => l.startsWith(':question:'))).toHaveLength(count);
    for (const q of asked) expect(text).not.toContain(q); // only those the summary left out
    const answers = buttonsOf(reply).filter((b) => b.action_id.startsWith('answer_'));
    expect(answers.length).toBeGreaterThanOrEqual(count);
    expect(JSON.parse(answers[0]!.value)).toMatchObject({ k: `CQ:${root}` });
  });
});

describe('"Show all evidence"', () => {
  it('attaches the full report as Markdown (every cause, the rules, every observation; secrets masked), once per distinct report', async () => {
    const root = '1700009100.000100';
    const { summaryTs, summary } = await thread('CE2', root);
    const show = buttonsOf(summary).find((b) => b.action_id === 'show_all_evidence')!;
    expect(show.text.text).toBe('Show all evidence');

    await click('CE2', root, summaryTs, show, '1700009101.000001');
    const done = await fake.waitFor(() => fake.of('files.completeUploadExternal').find((c) => c.args.thread_ts === root));
    expect(String(done.args.initial_comment)).toMatch(/^<@U2> asked for all the evidence/);
    const md = fake.uploads.at(-1)!.content;
    expect(md).toContain('# pushcheck report');
    expect(md).toContain('## Ruled-out causes');
    expect(md).toContain('**Rules:**');
    expect(md).toContain('## Every observation');
    expect(md).toContain('8E41…54F8');
    expect(md).not.toContain(DEVICE_MAGIC);

    await click('CE2', root, summaryTs, show, '1700009102.000001');
    await fake.waitFor(() => fake.of('chat.postMessage').find((c) => c.args.thread_ts === root && /still current/.test(String(c.args.text))));
    expect(fake.of('files.completeUploadExternal').filter((c) => c.args.thread_ts === root)).toHaveLength(1);
  });
});
