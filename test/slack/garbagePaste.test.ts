import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { FakeSlack } from './fakeSlack.js';
import { blocksText, startBot, startFormSubmission, tempDb, type RunningBot } from './harness.js';

/**
 * Troubleshooting step: "paste the server's values". When the text holds
 * nothing pushcheck can use, the person hears the same thing whether they
 * pasted it into the CLI or said it to the bot: what was wrong and what to
 * paste instead. Both go through the case service's paste reading.
 */
const GARBAGE = 'asdf;;; qwerty ☃ lorem ipsum';

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

describe('a paste that holds nothing pushcheck recognises', () => {
  it('gets the same problem, in the same words, from the CLI and from Slack', async () => {
    const { out } = await cli('diagnose', '--paste', GARBAGE, '--format', 'json');
    const [fromCli] = JSON.parse(out).problems as { input: string; code: string; message: string }[];
    expect(fromCli).toMatchObject({ input: '--paste', code: 'paste.unrecognised' });

    const ts = '1700009000.000100';
    await bot.event({ type: 'app_mention', channel: 'CG', user: 'U7', ts, text: `<@UBOT> ${GARBAGE}`, client_msg_id: 'm-garbage' });
    const reply = await fake.waitFor(() => fake.of('chat.postMessage').find((c) => c.args.thread_ts === ts && String(c.args.text).includes('recognises')));
    // Slack escapes & < > in its text; the words are the CLI's.
    const slackUnescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(slackUnescape(String(reply.args.text))).toContain(fromCli!.message);

    const session = (await bot.store.getCase(`CG:${ts}`))!;
    const problems = session.evidence.flatMap((e) => e.problems);
    expect(problems).toEqual([{ input: `message from U7 at ${ts}`, code: 'paste.unrecognised', message: fromCli!.message }]);
    // And the summary lists it with the other problems, as the CLI's report does.
    const summary = fake
      .of('chat.update')
      .filter((c) => c.args.ts === session.summaryTs)
      .at(-1)!;
    expect(slackUnescape(blocksText(summary.args))).toContain(fromCli!.message);
  });

  it('typed into the /pushcheck form, it is said so in the thread too', async () => {
    const res = await bot.interaction(
      startFormSubmission('U9', { id: 'VG', trigger: 'trig-g', privateMetadata: JSON.stringify({ channel: 'CF' }) }, { paste: GARBAGE }),
    );
    expect(res.status).toBe(200);
    const reply = await fake.waitFor(() =>
      fake.of('chat.postMessage').find((c) => c.args.channel === 'CF' && c.args.thread_ts && String(c.args.text).includes('recognises')),
    );
    expect(String(reply.args.text)).toMatch(/^\*the \/pushcheck form \(pasted text\)\*: holds nothing pushcheck recognises/);
  });

  it('said in passing in a thread being diagnosed, it is left alone (not a problem, no reply)', async () => {
    const root = '1700009100.000100';
    await bot.event({
      type: 'app_mention',
      channel: 'CG',
      user: 'U7',
      ts: root,
      text: '<@UBOT> server PushMagic: 0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03',
      client_msg_id: 'm-values',
    });
    await fake.waitFor(() => fake.of('chat.postMessage').filter((c) => c.args.thread_ts === root).length >= 2);
    const before = fake.calls.length;
    await bot.event({ type: 'message', channel: 'CG', user: 'U8', ts: '1700009101.000100', thread_ts: root, client_msg_id: 'm-chatter', text: GARBAGE });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.calls.length).toBe(before);
    expect((await bot.store.getCase(`CG:${root}`))!.evidence.flatMap((e) => e.problems)).toEqual([]);
  });
});
