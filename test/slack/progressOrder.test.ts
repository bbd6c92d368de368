import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeSlack, type Call } from './fakeSlack.js';
import { blocksText, botWithOwnWorkers, fileShare, startBot, tempDb, type RunningBot } from './harness.js';

// While a file is read the summary says how far it got; once the read is over, the summary must
// never be left saying "Reading …", whatever order the edits reach Slack in and whatever went wrong
// after the read. A thread left on "downloading" looks to the person waiting like work still going on.

const MDM_PLIST = readFileSync(new URL('../../examples/mdm-wrong-magic/MDM.plist', import.meta.url));

let fake: FakeSlack;
beforeAll(async () => {
  fake = await new FakeSlack().start();
});
afterAll(async () => {
  await fake.stop();
});

const replyMatching = (channel: string, ts: string, re: RegExp) =>
  fake.waitFor(() => fake.of('chat.postMessage').find((c) => c.args.channel === channel && c.args.thread_ts === ts && re.test(String(c.args.text))), 15_000);
const summaryTsOf = async (bot: RunningBot, key: string) => (await bot.store.thread(key))!.summaryTs!;
const summaryEdits = (summaryTs: string): Call[] => fake.of('chat.update').filter((c) => c.args.ts === summaryTs);
const progressOf = (name: string) => (args: Record<string, unknown>) => String(args.text).startsWith(`pushcheck: Reading ${name}:`);

describe('a progress edit still on its way to Slack when the file has been read', () => {
  // A whole read and diagnosis, then the hold: the time the worker tests give such a wait on a loaded machine.
  it('is answered before the report goes out: the summary ends on the report', { timeout: 60_000 }, async () => {
    const bot = await startBot(fake, tempDb());
    const progress = fake.hold('chat.update', progressOf('slow-edit.plist'));
    try {
      const ts = '1700800001.000100';
      const key = `CPO1:${ts}`;
      await bot.event(fileShare('CPO1', ts, [fake.addFile('FPO1', 'slow-edit.plist', MDM_PLIST)]));
      const held = await progress.held;
      // The file is read and its diagnosis worked out while Slack has not yet answered that edit.
      await vi.waitFor(() => expect(bot.deps.views.peek(key)).toBeDefined(), { timeout: 15_000, interval: 20 });
      // A report sent now would reach Slack within moments: it is given a second to, and must not.
      const summaryTs = String(held.args.ts);
      await fake.waitFor(() => summaryEdits(summaryTs).at(-1) !== held, 1000).catch(() => undefined);
      expect(summaryEdits(summaryTs).at(-1)).toBe(held);
      progress.release();

      await replyMatching('CPO1', ts, /slow-edit\.plist\*: \d+ observations read/);
      await bot.deps.work.idle();
      const edits = summaryEdits(summaryTs);
      expect(edits.indexOf(held)).toBeLessThan(edits.length - 1);
      expect(blocksText(edits.at(-1)!.args)).not.toMatch(/Reading|downloading/);
      expect(blocksText(edits.at(-1)!.args)).toBe(blocksText(bot.deps.views.peek(key)!.summary));
    } finally {
      progress.release();
      await bot.stop();
    }
  });
});

describe('a read whose diagnosis cannot be worked out (the workers stop while the file is read, as when the bot stops)', () => {
  const own = botWithOwnWorkers(() => fake);

  it('in a thread with an earlier report: the thread is told, and the summary shows that report again instead of "Reading …"', async () => {
    const { bot, pool } = own;
    const ts = '1700800002.000100';
    const key = `CPO2:${ts}`;
    await bot.event(fileShare('CPO2', ts, [fake.addFile('FPO2', 'MDM.plist', MDM_PLIST)]));
    await replyMatching('CPO2', ts, /MDM\.plist\*: \d+ observations read/);
    await bot.deps.work.idle();
    const summaryTs = await summaryTsOf(bot, key);
    const report = blocksText(summaryEdits(summaryTs).at(-1)!.args);

    const release = fake.noAnswer('never-read.plist');
    try {
      // The file comes with a line of text: the evidence changes, so the case must be diagnosed again.
      await bot.event({
        ...fileShare('CPO2', '1700800002.000200', [fake.addFile('FPO3', 'never-read.plist', MDM_PLIST)]),
        text: 'PushMagic on the server: 5F2A9B10-3C44-4E8D-9A61-0D7E2B8C4F11',
        thread_ts: ts,
      });
      await fake.waitFor(() => summaryEdits(summaryTs).find((c) => progressOf('never-read.plist')(c.args)), 15_000);
      await pool.close();

      await replyMatching('CPO2', ts, /^:x: pushcheck could not update the diagnosis: the pool closed/);
      await bot.deps.work.idle();
      const last = blocksText(summaryEdits(summaryTs).at(-1)!.args);
      expect(last).not.toMatch(/Reading|downloading/);
      expect(last).toBe(report);
    } finally {
      release();
    }
  });
});

describe('the same, in a thread without a report yet', () => {
  const own = botWithOwnWorkers(() => fake);

  it('the summary says the diagnosis could not be brought up to date and points at the message saying why', async () => {
    const { bot, pool } = own;
    const ts = '1700800003.000100';
    const release = fake.noAnswer('first-file.plist');
    try {
      await bot.event(fileShare('CPO3', ts, [fake.addFile('FPO4', 'first-file.plist', MDM_PLIST)]));
      const progress = await fake.waitFor(() => fake.of('chat.update').find((c) => progressOf('first-file.plist')(c.args)), 15_000);
      await pool.close();

      await replyMatching('CPO3', ts, /^:x: pushcheck could not update the diagnosis: the pool closed/);
      await bot.deps.work.idle();
      const last = summaryEdits(String(progress.args.ts)).at(-1)!;
      expect(blocksText(last.args)).not.toMatch(/Reading|downloading/);
      expect(String(last.args.text)).toBe('pushcheck: The diagnosis could not be brought up to date after the read: the message below says why.');
    } finally {
      release();
    }
  });
});
