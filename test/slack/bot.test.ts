import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, type Call } from './fakeSlack.js';
import { blocksText, buttonClick, fileShare, sign, startBot, startFormSubmission, tempDb, type RunningBot } from './harness.js';

const EXAMPLE = new URL('../../examples/mdm-wrong-magic/', import.meta.url);
const MDM_PLIST = readFileSync(new URL('MDM.plist', EXAMPLE));
const DEVICE_MAGIC = '8E41B7C2-5D0A-4F93-A6E1-3C7B29D054F8';
const SERVER_MAGIC = '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03';
const TOPIC = 'com.apple.mgmt.External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d';
const TOKEN = '9f3c2a71d4e85b06c1a7f02e3d9b84c65e1f07a2b3c4d5e6f708192a3b4c5d6e';

let fake: FakeSlack;
let bot: RunningBot;
let seq = 0;
const nextTs = () => `1700000${String(++seq).padStart(3, '0')}.000100`;

const replies = (channel: string, threadTs: string) => fake.of('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);
const lastUpdate = (ts: string): Call | undefined =>
  fake
    .of('chat.update')
    .filter((c) => c.args.ts === ts)
    .at(-1);
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

/** The answer buttons in a message (the summary also has "More questions" and "Show all evidence"). */
function buttons(update: Call): { action_id: string; value: string; text: { text: string } }[] {
  return (update.args.blocks as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.action_id.startsWith('answer_'));
}

/** The buttons of the question asked first, other than "Don't know" and "Answer…". */
function answerButtons(update: Call) {
  return buttons(update).filter((b) => b.action_id !== 'answer_modal' && !/^(Don't know|Answer)/.test(b.text.text) && JSON.parse(b.value).v !== 'unknown');
}

function click(channel: string, threadTs: string, messageTs: string, button: { action_id: string; value: string }, user: string, actionTs: string) {
  return bot.interaction(buttonClick(channel, threadTs, messageTs, button, user, actionTs));
}

beforeAll(async () => {
  fake = await new FakeSlack().start();
  bot = await startBot(fake, tempDb());
});
afterAll(async () => {
  await bot.stop();
  await fake.stop();
});
afterEach(() => {
  fake.failures.clear();
});

describe('a file shared in a support channel', () => {
  it('is downloaded with the bot token (re-sent only to Slack hosts across a redirect) and diagnosed in its thread', async () => {
    const file = fake.addFile('F1', 'MDM.plist', MDM_PLIST, 'redirect');
    const ts = nextTs();
    const res = await bot.event(fileShare('C1', ts, [file]));
    expect(res.status).toBe(200);

    const reply = await fake.waitFor(() => replies('C1', ts).find((c) => /MDM\.plist/.test(String(c.args.text))));
    expect(String(reply.args.text)).toMatch(/MDM\.plist\*: \d+ observations read/);
    const summary = (await bot.store.getCase(`C1:${ts}`))!.summaryTs!;
    const update = lastUpdate(summary)!;
    const text = blocksText(update.args);
    expect(text).toContain('pushcheck diagnosis');
    expect(text).toMatch(/Ruled out\*\n(• .*\n)*• The device left MDM/); // the plist shows an enrollment: one line, with its reason
    expect(buttons(update).length).toBeGreaterThan(0); // the next question, as buttons
    // The device's PushMagic is shown masked, never whole, in the channel.
    expect(JSON.stringify(fake.calls)).not.toContain(DEVICE_MAGIC);

    const [first, second] = fake.downloads.filter((d) => d.path.endsWith('MDM.plist'));
    expect(first).toMatchObject({ path: '/redirect/MDM.plist', authorization: 'Bearer xoxb-test-token' });
    expect(second!.host).toBe(new URL(fake.cdnUrl).host);
    expect(second!.authorization).toBeUndefined(); // the CDN origin never sees the token
  });

  it('posts the push timeline as a picture in the thread when the file holds timed events', async () => {
    const log = readFileSync(new URL('../fixtures/notnow/nanomdm_2021_round_trip.log', import.meta.url));
    const file = fake.addFile('F1T', 'nanomdm.log', log);
    const ts = nextTs();
    await bot.event(fileShare('C1', ts, [file]));
    const done = await fake.waitFor(() => fake.of('files.completeUploadExternal').find((c) => c.args.thread_ts === ts));
    expect(String(done.args.initial_comment)).toMatch(/Timeline of the pushes/);
    expect(fake.of('files.getUploadURLExternal').some((c) => c.args.filename === 'push-timeline.png')).toBe(true);
  });

  it('shows read progress in the summary while the file is read (file name, MB, stage)', async () => {
    const file = fake.addFile('F2', 'MDM-progress.plist', MDM_PLIST);
    const ts = nextTs();
    await bot.event(fileShare('C1', ts, [file]));
    await fake.waitFor(() => replies('C1', ts).length >= 2);
    const progress = fake.of('chat.update').find((c) => /Reading \*MDM-progress\.plist\*: .*MB.* read — (downloading|reading)/.test(blocksText(c.args)));
    expect(progress).toBeDefined();
  });

  it('says which scope is missing when Slack answers with its sign-in page', async () => {
    const file = fake.addFile('F3', 'bundle.tar.gz', 'x', 'login');
    const ts = nextTs();
    await bot.event(fileShare('C1', ts, [file]));
    const r = await fake.waitFor(() => replies('C1', ts).find((c) => /files:read/.test(String(c.args.text))));
    expect(String(r.args.text)).toMatch(/sign-in page instead of bundle\.tar\.gz.*files:read/);
  });

  it('asks files.info first for a file shared with check_file_info', async () => {
    fake.addFile('F4', 'MDM-stub.plist', MDM_PLIST);
    const ts = nextTs();
    await bot.event(fileShare('C1', ts, [{ id: 'F4', file_access: 'check_file_info' }]));
    await fake.waitFor(() => replies('C1', ts).find((c) => /MDM-stub\.plist\*: \d+ observations/.test(String(c.args.text))));
    expect(fake.of('files.info').some((c) => c.args.file === 'F4')).toBe(true);
  });

  it("ignores the bot's own messages and other bots", async () => {
    const before = fake.calls.length;
    const file = fake.addFile('F5', 'own.plist', MDM_PLIST);
    await bot.event(fileShare('C1', nextTs(), [file], { user: 'UBOT' }));
    await bot.event(fileShare('C1', nextTs(), [file], { bot_id: 'BOTHER', user: undefined }));
    await settle();
    expect(fake.calls.length).toBe(before);
  });
});

describe('pasted values in a diagnosis thread', () => {
  it('become facts, update the summary and say what changed', async () => {
    const file = fake.addFile('F6', 'MDM.plist', MDM_PLIST);
    const root = nextTs();
    await bot.event(fileShare('C2', root, [file]));
    await fake.waitFor(() => replies('C2', root).length >= 2);
    const summary = (await bot.store.getCase(`C2:${root}`))!.summaryTs!;

    await bot.event({
      type: 'message',
      channel: 'C2',
      channel_type: 'channel',
      user: 'U2',
      ts: nextTs(),
      thread_ts: root,
      client_msg_id: 'm-paste-1',
      text: `The server has:\nserver PushMagic: ${SERVER_MAGIC}`,
    });
    const reply = await fake.waitFor(() =>
      replies('C2', root).find((c) => /PushMagic is not the one the device expects: open → confirmed/.test(String(c.args.text))),
    );
    expect(String(reply.args.text)).toMatch(/^\*<@U2>'s message at \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC\*: 1 observation read/); // a mention and a time, not an id and a ts
    const text = blocksText(lastUpdate(summary)!.args);
    expect(text).toMatch(/CONFIRMED: The server's PushMagic is not the one the device expects/);
    expect(text).toContain('0B9D…9F03');
    expect(JSON.stringify(fake.calls)).not.toContain(SERVER_MAGIC);
  });

  it('stays quiet on thread chatter that holds no values', async () => {
    const file = fake.addFile('F7', 'MDM.plist', MDM_PLIST);
    const root = nextTs();
    await bot.event(fileShare('C2', root, [file]));
    await fake.waitFor(() => replies('C2', root).length >= 2);
    const count = fake.calls.length;
    await bot.event({ type: 'message', channel: 'C2', user: 'U2', ts: nextTs(), thread_ts: root, client_msg_id: 'm-chat', text: 'thanks, looking now' });
    await settle();
    expect(fake.calls.length).toBe(count);
  });
});

describe('/pushcheck', () => {
  it("with the server's values posts a root message and diagnoses in its thread", async () => {
    const res = await bot.command({ command: '/pushcheck', text: `topic=${TOPIC} magic=${SERVER_MAGIC} token=${TOKEN}`, channel_id: 'C3', user_id: 'U3' });
    expect(res.status).toBe(200);
    const root = await fake.waitFor(() => fake.of('chat.postMessage').find((c) => c.args.channel === 'C3' && c.args.thread_ts === undefined));
    expect(String(root.args.text)).toMatch(/diagnosis started by <@U3>/);
    const threadTs = findTs(root);
    const reply = await fake.waitFor(() => replies('C3', threadTs).find((c) => /\/pushcheck\*: 3 observations read/.test(String(c.args.text))));
    expect(reply).toBeDefined();
    const s = (await bot.store.getCase(`C3:${threadTs}`))!;
    expect(s.evidence[0]!.facts.map((f) => f.name).sort()).toEqual(['server.push_magic', 'server.push_token', 'server.topic']);
    expect(blocksText(lastUpdate(s.summaryTs!)!.args)).toMatch(/About: MDM push/);
  });

  it('help answers privately and posts nothing', async () => {
    const before = fake.calls.length;
    const res = await bot.command({ command: '/pushcheck', text: 'help', channel_id: 'C3', user_id: 'U3' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.parse(res.text).text).toMatch(/topic=… magic=… token=…/);
    await settle(100);
    expect(fake.calls.length).toBe(before);
  });

  it('bare opens the modal, whose submission starts a thread with the values and the kind of problem', async () => {
    await bot.command({ command: '/pushcheck', text: '', channel_id: 'C4', user_id: 'U4' });
    const open = await fake.waitFor(() => fake.of('views.open').at(-1));
    expect(open.args.trigger_id).toBe('trig1');
    const view = open.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('pushcheck_start');

    const res = await bot.interaction(
      startFormSubmission('U4', { id: 'V1', trigger: 'trig2', privateMetadata: view.private_metadata }, { kind: 'mdm', magic: SERVER_MAGIC }),
    );
    expect(res.status).toBe(200);
    const root = await fake.waitFor(() => fake.of('chat.postMessage').find((c) => c.args.channel === 'C4' && c.args.thread_ts === undefined));
    const threadTs = findTs(root);
    await fake.waitFor(() => replies('C4', threadTs).find((c) => /the \/pushcheck form\*: 1 observation read/.test(String(c.args.text))));
    const s = (await bot.store.getCase(`C4:${threadTs}`))!;
    expect(s.answers).toEqual([expect.objectContaining({ question: 'q.case.domain', value: 'mdm', by: 'U4' })]);
  });
});

describe('/pushcheck in a channel the bot is not in', () => {
  it('with values, tells the person privately what failed and to invite @pushcheck with /invite @pushcheck', async () => {
    fake.failures.set('chat.postMessage:C15', 'not_in_channel');
    const res = await bot.command({ command: '/pushcheck', text: `topic=${TOPIC} magic=${SERVER_MAGIC}`, channel_id: 'C15', user_id: 'U15' });
    expect(res.status).toBe(200);
    const answer = await fake.waitFor(() => fake.responses.at(-1));
    expect(answer.response_type).toBe('ephemeral');
    expect(String(answer.text)).toMatch(/could not post .*not_in_channel/);
    expect(String(answer.text)).toMatch(/invite @pushcheck to this channel with \/invite @pushcheck/);
    expect(String(answer.text)).not.toContain(SERVER_MAGIC);
  });

  it('from the form, sends the person a direct message saying what failed and to invite @pushcheck', async () => {
    fake.failures.set('chat.postMessage:C16', 'channel_not_found');
    const res = await bot.interaction(
      startFormSubmission('U16', { id: 'V16', trigger: 'trig16', privateMetadata: JSON.stringify({ channel: 'C16' }) }, { kind: 'mdm', magic: SERVER_MAGIC }),
    );
    expect(res.status).toBe(200);
    const dm = await fake.waitFor(() => fake.of('chat.postMessage').find((c) => c.args.channel === 'U16'));
    expect(String(dm.args.text)).toMatch(/could not post .*channel_not_found/);
    expect(String(dm.args.text)).toMatch(/<#C16>/);
    expect(String(dm.args.text)).toMatch(/invite @pushcheck to this channel with \/invite @pushcheck/);
    expect(String(dm.args.text)).not.toContain(SERVER_MAGIC);
  });
});

/** The ts the fake gave a posted message. */
function findTs(call: Call): string {
  return String(call.result?.ts);
}

/** Starts a thread from a file share and returns its root and summary ts. */
async function threadWithPlist(channel: string): Promise<{ root: string; summary: string }> {
  const file = fake.addFile(`F-${channel}-${seq}`, 'MDM.plist', MDM_PLIST);
  const root = nextTs();
  await bot.event(fileShare(channel, root, [file]));
  await fake.waitFor(() => replies(channel, root).length >= 2);
  return { root, summary: (await bot.store.getCase(`${channel}:${root}`))!.summaryTs! };
}

describe('answering questions', () => {
  it('a button click records who answered and when, updates the summary and asks the next question', async () => {
    const { root, summary } = await threadWithPlist('C5');
    const update = lastUpdate(summary)!;
    // Whatever the rules ask first, click its first real answer (not "Don't know").
    const [choice] = answerButtons(update);
    const { q: question, v: value } = JSON.parse(choice.value) as { q: string; v: string };
    const res = await click('C5', root, summary, choice, 'U5', '1700000500.123456');
    expect(res.status).toBe(200);
    const reply = await fake.waitFor(() => replies('C5', root).find((c) => /<@U5> answered/.test(String(c.args.text))));
    expect(String(reply.args.text)).toContain(`*${choice.text.text}*.`);
    expect(String(reply.args.text)).toMatch(/Next question: |No more questions/);
    const s = (await bot.store.getCase(`C5:${root}`))!;
    expect(s.answers).toEqual([{ question, value, by: 'U5', at: '2023-11-14T22:21:40.123Z' }]);
    // The summary now asks something else.
    const after = lastUpdate(summary)!;
    expect(after).not.toBe(update);
    expect(buttons(after).every((b) => JSON.parse(b.value).q !== question)).toBe(true);
  });

  it('two people answering the same question: the later answer stands and the thread says so', async () => {
    const { root, summary } = await threadWithPlist('C6');
    const [first, second] = answerButtons(lastUpdate(summary)!);
    await click('C6', root, summary, first, 'U6', '1700000600.000001');
    await fake.waitFor(() => replies('C6', root).find((c) => /<@U6> answered/.test(String(c.args.text))));
    await click('C6', root, summary, second, 'U7', '1700000601.000001');
    const reply = await fake.waitFor(() => replies('C6', root).find((c) => /<@U7> answered/.test(String(c.args.text))));
    expect(String(reply.args.text)).toContain(`This replaces <@U6>'s earlier answer (${first.text.text}): the later answer stands.`);
    const answers = (await bot.store.getCase(`C6:${root}`))!.answers;
    expect(answers.map((a) => [a.by, a.value])).toEqual([
      ['U6', JSON.parse(first.value).v],
      ['U7', JSON.parse(second.value).v],
    ]);
  });

  it('a double click (same action_ts) is recorded once', async () => {
    const { root, summary } = await threadWithPlist('C7');
    const [yes] = answerButtons(lastUpdate(summary)!);
    await Promise.all([click('C7', root, summary, yes, 'U8', '1700000700.000001'), click('C7', root, summary, yes, 'U8', '1700000700.000001')]);
    await fake.waitFor(() => replies('C7', root).find((c) => /<@U8> answered/.test(String(c.args.text))));
    await settle();
    expect(replies('C7', root).filter((c) => /<@U8> answered/.test(String(c.args.text)))).toHaveLength(1);
    expect((await bot.store.getCase(`C7:${root}`))!.answers).toHaveLength(1);
  });

  it('a question that takes a typed value opens a modal; a malformed value keeps it open with the reason', async () => {
    await bot.command({ command: '/pushcheck', text: `magic=${SERVER_MAGIC}`, channel_id: 'C8', user_id: 'U9' });
    const root = findTs(await fake.waitFor(() => fake.of('chat.postMessage').find((c) => c.args.channel === 'C8' && c.args.thread_ts === undefined)));
    await fake.waitFor(() => replies('C8', root).length >= 2);
    const summary = (await bot.store.getCase(`C8:${root}`))!.summaryTs!;
    // "Don't know" to the button questions until one needs a typed answer.
    let answerBtn: { action_id: string; value: string } | undefined;
    for (let i = 0; i < 20 && !answerBtn; i++) {
      const bs = buttons(lastUpdate(summary)!);
      answerBtn = bs.find((b) => b.action_id === 'answer_value');
      if (answerBtn) break;
      const dontKnow = bs.find((b) => b.text.text === "Don't know")!;
      const n = replies('C8', root).length;
      await click('C8', root, summary, dontKnow, 'U9', `1700000800.0000${String(i).padStart(2, '0')}`);
      await fake.waitFor(() => replies('C8', root).length > n);
    }
    expect(answerBtn).toBeDefined();
    const opens = fake.of('views.open').length;
    await click('C8', root, summary, answerBtn!, 'U9', '1700000899.000001');
    const open = await fake.waitFor(() => fake.of('views.open').length > opens && fake.of('views.open').at(-1));
    const view = open.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('answer_value_modal');
    const { question } = JSON.parse(view.private_metadata) as { question: string };

    const submit = (value: string) =>
      bot.interaction({
        type: 'view_submission',
        user: { id: 'U9', team_id: 'T1' },
        team: { id: 'T1' },
        api_app_id: 'A1',
        token: 'legacy',
        trigger_id: 'trig3',
        view: {
          id: 'V2',
          type: 'modal',
          callback_id: view.callback_id,
          private_metadata: view.private_metadata,
          state: { values: { answer: { answer: { type: 'plain_text_input', value } } } },
        },
      });
    const bad = await submit('no spaces allowed !!');
    // The reason in words, without the question's id (issue 12: no "q.mdm.server_topic:" in a form).
    const reason = JSON.parse(bad.text) as { response_action: string; errors: { answer: string } };
    expect(reason).toMatchObject({
      response_action: 'errors',
      errors: { answer: expect.stringContaining('"no spaces allowed !!" is not in the expected form') },
    });
    expect(reason.errors.answer).not.toContain(question);
    const good = /magic/.test(question) ? DEVICE_MAGIC : /topic/.test(question) ? TOPIC : /token|hash/.test(question) ? TOKEN : '2026-03-01T10:00:00Z';
    expect((await submit(good)).status).toBe(200);
    await fake.waitFor(() => replies('C8', root).find((c) => /<@U9> answered “[^”]*”: \*(?!don't know)/.test(String(c.args.text))));
    expect((await bot.store.getCase(`C8:${root}`))!.answers.at(-1)).toEqual(expect.objectContaining({ question, value: good, by: 'U9' }));
  });
});

describe('deliveries Slack retries or forges', () => {
  it('a forged or stale signature gets 401 and no reply', async () => {
    const before = fake.calls.length;
    const event = JSON.stringify({
      type: 'event_callback',
      event_id: 'EvForged',
      event: { type: 'app_mention', channel: 'C9', user: 'U1', ts: nextTs(), text: '<@UBOT> help' },
    });
    const forged = await bot.send(event, 'application/json', sign(event, 'not-the-secret'));
    const stale = await bot.send(event, 'application/json', sign(event, undefined, Math.floor(Date.now() / 1000) - 600));
    expect(forged.status).toBe(401);
    expect(stale.status).toBe(401);
    await settle(200);
    expect(fake.calls.length).toBe(before);
  });

  it('a retried event (same event_id) gives exactly one reply', async () => {
    const ts = nextTs();
    const ev = { type: 'app_mention', channel: 'C10', user: 'U1', ts, text: `<@UBOT> server PushMagic: ${SERVER_MAGIC}` }; // no client_msg_id: only event_id tells the retry apart
    expect((await bot.event(ev, { eventId: 'EvRetry1' })).status).toBe(200);
    expect((await bot.event(ev, { eventId: 'EvRetry1', retryNum: 1 })).status).toBe(200);
    await fake.waitFor(() => replies('C10', ts).length >= 2);
    await bot.event(ev, { eventId: 'EvRetry1', retryNum: 2 });
    await settle();
    expect(replies('C10', ts).filter((c) => /observation/.test(String(c.args.text)))).toHaveLength(1);
    expect(fake.of('chat.postMessage').filter((c) => c.args.channel === 'C10' && /looking at this/.test(String(c.args.text)))).toHaveLength(1);
  });

  it('the same message delivered as message and app_mention is handled once (client_msg_id)', async () => {
    const { root } = await threadWithPlist('C11');
    const text = `<@UBOT> server PushMagic: ${SERVER_MAGIC}`;
    const ts = nextTs();
    await Promise.all([
      bot.event({ type: 'message', channel: 'C11', channel_type: 'channel', user: 'U1', ts, thread_ts: root, text, client_msg_id: 'm-both' }),
      bot.event({ type: 'app_mention', channel: 'C11', user: 'U1', ts, thread_ts: root, text, client_msg_id: 'm-both' }),
    ]);
    await fake.waitFor(() => replies('C11', root).find((c) => /1 observation read/.test(String(c.args.text))));
    await settle();
    expect(replies('C11', root).filter((c) => /1 observation read/.test(String(c.args.text)))).toHaveLength(1);
  });

  it('the same message delivered as message and app_mention is handled once even without a client_msg_id (API-posted, workflow messages)', async () => {
    const { root } = await threadWithPlist('C14');
    const text = `<@UBOT> server PushMagic: ${SERVER_MAGIC}`;
    const ts = nextTs();
    await Promise.all([
      bot.event({ type: 'message', channel: 'C14', channel_type: 'channel', user: 'U1', ts, thread_ts: root, text }),
      bot.event({ type: 'app_mention', channel: 'C14', user: 'U1', ts, thread_ts: root, text }),
    ]);
    await fake.waitFor(() => replies('C14', root).find((c) => /1 observation read/.test(String(c.args.text))));
    await settle();
    expect(replies('C14', root).filter((c) => /1 observation read/.test(String(c.args.text)))).toHaveLength(1);
  });
});

describe('failures', () => {
  it('a summary Slack will not let the bot edit: the report is posted anew in the thread, and other threads keep working', async () => {
    fake.failures.set('chat.update', 500);
    const file = fake.addFile('F-fail', 'MDM.plist', MDM_PLIST);
    const root = nextTs();
    await bot.event(fileShare('C12', root, [file]));
    const report = await fake.waitFor(() => replies('C12', root).find((c) => c.args.blocks && /pushcheck diagnosis/.test(blocksText(c.args))));
    // The new message becomes the summary later edits go to.
    for (let i = 0; (await bot.store.thread(`C12:${root}`))!.summaryTs !== report.result!.ts; i++) {
      if (i > 250) throw new Error('the posted report never became the summary');
      await settle(20);
    }
    await fake.waitFor(() => replies('C12', root).find((c) => /MDM\.plist\*: \d+ observations read/.test(String(c.args.text))));
    expect(replies('C12', root).some((c) => /could not/.test(String(c.args.text)))).toBe(false);
    fake.failures.clear();
    const { summary } = await threadWithPlist('C13');
    expect(lastUpdate(summary)).toBeDefined();
  });

  it('no secret reaches the logs', () => {
    const logs = bot.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of ['xoxb-test-token', SERVER_MAGIC, DEVICE_MAGIC, TOKEN, 'test-signing-secret']) expect(logs).not.toContain(secret);
  });
});

describe('many threads at once', () => {
  it('20 threads each get their own correct reply', async () => {
    const magics = Array.from({ length: 20 }, (_, i) => `A${String(i).padStart(3, '0')}C2BD-5D0A-4F93-A6E1-3C7B29D054F8`);
    const roots = magics.map(() => nextTs());
    await Promise.all(
      magics.map((m, i) =>
        bot.event({ type: 'app_mention', channel: 'C20', user: `U${i}`, ts: roots[i], text: `<@UBOT> server PushMagic: ${m}`, client_msg_id: `m-many-${i}` }),
      ),
    );
    await fake.waitFor(() => roots.every((r) => replies('C20', r).some((c) => /observation/.test(String(c.args.text)))), 15_000);
    // The reply's ts is recorded just after Slack answered the post.
    for (const root of roots) await expect.poll(async () => (await bot.store.getCase(`C20:${root}`))!.messages.length).toBe(2);
    const summaries: (string | undefined)[] = [];
    for (const [i, root] of roots.entries()) {
      const s = (await bot.store.getCase(`C20:${root}`))!;
      summaries.push(s.summaryTs);
      expect(s.evidence.flatMap((e) => e.facts).map((f) => f.value)).toEqual([magics[i]]);
      expect(s.messages.map((m) => m.kind).sort()).toEqual(['reply', 'summary']);
      // One summary and one reply per thread, and the summary was edited into the report.
      expect(replies('C20', root)).toHaveLength(2);
      expect(blocksText(lastUpdate(s.summaryTs!)!.args)).toMatch(/pushcheck diagnosis[\s\S]*About: MDM push/);
    }
    expect(new Set(summaries).size).toBe(20);
  });
});
