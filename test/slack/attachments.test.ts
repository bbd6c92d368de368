import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../../src/engine/loadRules.js';
import { Thread } from '../../src/slack/thread.js';
import type { Report } from '../../src/report/types.js';
import { CaseMemory } from '../../src/slack/workers/cases.js';
import { InlineRunner } from '../../src/slack/workers/pool.js';
import { FakeSlack } from './fakeSlack.js';
import { blocksText, startBot, tempDb, type RunningBot } from './harness.js';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await new FakeSlack().start();
});
afterAll(async () => {
  await fake.stop();
});

describe('escalation: Draft Apple Feedback', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    // One cause, ruled out by any pasted PushMagic: every cause ruled out means escalation.
    bot = await startBot(fake, tempDb(), {}, loadRules(fileURLToPath(new URL('../fixtures/slack/rules/', import.meta.url))));
  });
  afterAll(async () => bot.stop());

  it('offers the button when every cause is ruled out; the click posts the draft as a file and the checklist', async () => {
    const ts = '1700005000.000100';
    await bot.event({
      type: 'app_mention',
      channel: 'CE',
      user: 'U1',
      ts,
      text: '<@UBOT> server PushMagic: 0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03',
      client_msg_id: 'm-esc',
    });
    await fake.waitFor(() => fake.of('chat.postMessage').filter((c) => c.args.thread_ts === ts).length >= 2);
    const summary = (await bot.store.getCase(`CE:${ts}`))!.summaryTs!;
    const update = fake
      .of('chat.update')
      .filter((c) => c.args.ts === summary)
      .at(-1)!;
    expect(blocksText(update.args)).toMatch(/this is one for Apple/);
    const button = (update.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'feedback_draft')!;
    expect(button.value).toBe(`CE:${ts}`);

    await bot.interaction({
      type: 'block_actions',
      user: { id: 'U2' },
      team: { id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 'trig-esc',
      container: { type: 'message', message_ts: summary, channel_id: 'CE' },
      channel: { id: 'CE' },
      message: { ts: summary, thread_ts: ts },
      actions: [{ type: 'button', action_id: 'feedback_draft', block_id: 'escalation', value: button.value, action_ts: '1700005001.000001' }],
    });
    const complete = await fake.waitFor(() => fake.of('files.completeUploadExternal').find((c) => c.args.thread_ts === ts));
    expect(complete.args.channel_id).toBe('CE');
    expect(String(complete.args.initial_comment)).toMatch(/<@U2> asked for the Apple Feedback draft/);
    const upload = fake.uploads.at(-1)!;
    expect(upload.content.length).toBeGreaterThan(100);
    const { report } = await bot.deps.cases.current(`CE:${ts}`);
    if (report.escalation!.missing.length)
      await fake.waitFor(() => fake.of('chat.postMessage').find((c) => c.args.thread_ts === ts && /Before filing, gather/.test(String(c.args.text))));
  });
});

describe('a report too long for one message', () => {
  it('is cut in the summary and attached in full as Markdown, once per distinct report', async () => {
    let long!: Report;
    // The case's report, as a case worker would hold it: too long for one message.
    class Holding extends CaseMemory {
      override async report(): Promise<Report> {
        return long;
      }
    }
    const bot = await startBot(fake, tempDb(), {}, undefined, { runner: new InlineRunner({ memory: new Holding(1) }) });
    try {
      const key = 'CL:1700006000.000100';
      await bot.deps.cases.open(key, { channel: 'CL', threadTs: '1700006000.000100' });
      long = {
        schemaVersion: 1,
        domains: ['mdm'],
        headline: 'Many causes.',
        notes: [],
        device: {},
        causes: Array.from({ length: 30 }, (_, i) => ({
          id: `mdm.c${i}`,
          domain: 'mdm' as const,
          status: 'likely' as const,
          title: `Cause ${i}`,
          summary: 'summary',
          because: ['b'.repeat(700)],
          evidence: [],
          nextSteps: ['n'.repeat(700)],
          missing: [],
          source: { document: 'd.txt', section: 's' },
          rules: [],
        })),
        questions: [],
        escalation: null,
        problems: [],
        conflicts: [],
        facts: [],
        timeline: [],
      };
      const { webApi } = await import('@slack/bolt');
      const client = new webApi.WebClient('xoxb-test-token', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
      const thread = new Thread(bot.deps, client, key, 'CL', '1700006000.000100');
      const view = (await bot.deps.views.current(key))!;
      await thread.showView(view);
      await thread.showView(view); // the same report again: no second attachment
      const update = fake.of('chat.update').at(-1)!;
      expect(blocksText(update.args)).toContain('The full report is attached');
      expect(blocksText(update.args).length).toBeLessThanOrEqual(11_000);
      const completes = fake.of('files.completeUploadExternal').filter((c) => c.args.thread_ts === '1700006000.000100');
      expect(completes).toHaveLength(1);
      const md = fake.uploads.at(-1)!.content;
      expect(md).toContain('# pushcheck report');
      expect(md).toContain('Cause 29');
    } finally {
      await bot.stop();
    }
  });
});
