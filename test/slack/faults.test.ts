import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/slack/workers/pool.js';
import { FakeSlack, type Call } from './fakeSlack.js';
import { blocksText, fileShare, startBot, tempDb, type RunningBot } from './harness.js';
import { testWorkers } from '../support/built.js';

// Slack misbehaving on the wire while a thread is diagnosed: downloads that never answer, stall or
// crawl, sizes that lie, rate limits on the summary's edits, an upload that fails. Each time the
// thread is told plainly what happened, and the report still reaches it.

const MDM_PLIST = readFileSync(new URL('../../examples/mdm-wrong-magic/MDM.plist', import.meta.url));
const NANOMDM_LOG = readFileSync(new URL('../fixtures/notnow/nanomdm_2021_round_trip.log', import.meta.url));
const SERVER_MAGIC = '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03';
const TOPIC = 'com.apple.mgmt.External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d';

let fake: FakeSlack;
let seq = 0;
const nextTs = () => `1700500${String(++seq).padStart(3, '0')}.000100`;

beforeAll(async () => {
  fake = await new FakeSlack().start();
});
afterAll(async () => {
  await fake.stop();
});
afterEach(() => {
  fake.failures.clear();
  fake.clearRateLimits();
});

const replies = (channel: string, ts: string) => fake.of('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === ts);
const edits = (ts: string): Call[] => fake.of('chat.update').filter((c) => c.args.ts === ts);
const rootOf = (channel: string) =>
  fake.waitFor(() => fake.of('chat.postMessage').find((c) => c.args.channel === channel && !c.args.thread_ts && c.result)).then((c) => String(c.result!.ts));
const replyMatching = (channel: string, ts: string, re: RegExp) => fake.waitFor(() => replies(channel, ts).find((c) => re.test(String(c.args.text))));

async function summaryTs(bot: RunningBot, key: string): Promise<string> {
  for (;;) {
    const ts = (await bot.store.thread(key))?.summaryTs;
    if (ts) return ts;
    await new Promise((r) => setTimeout(r, 20));
  }
}

// A second, not less: on a busy machine a shorter wait can pass before the worker has even sent its request.
describe('a download Slack does not finish (idle timeout 1 s)', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot(fake, tempDb(), { PUSHCHECK_DOWNLOAD_IDLE_SECONDS: '1' });
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('with no answer at all (not even headers): asked again, then the thread says Slack did not answer, and the summary no longer says "downloading"', async () => {
    const release = fake.noAnswer('silent.plist');
    try {
      const ts = nextTs();
      await bot.event(fileShare('CDL', ts, [fake.addFile('FSIL', 'silent.plist', MDM_PLIST)]));
      const r = await replyMatching('CDL', ts, /silent\.plist/);
      expect(String(r.args.text).split('\n')[0]).toBe(
        ':x: Slack did not answer for 1 s when pushcheck asked for silent.plist (2 tries), so it stopped waiting. Share the file again in a few minutes; if it keeps failing, run `pushcheck diagnose` on it locally.',
      );
      // The reply counts the bot's own tries. The fake sees a try only once it has read its request: on a starved
      // machine the bot's 1 s timer can fire before the second connection has written anything, so the fake may
      // see one try or two, never more.
      const seen = () => fake.downloads.filter((d) => d.path.endsWith('/silent.plist')).length;
      await fake.waitFor(() => seen() >= 2, 2000).catch(() => undefined);
      expect(seen()).toBeGreaterThanOrEqual(1);
      expect(seen()).toBeLessThanOrEqual(2);
      const summary = await summaryTs(bot, `CDL:${ts}`);
      await fake.waitFor(() => edits(summary).length > 0);
      expect(blocksText(edits(summary).at(-1)!.args)).not.toMatch(/downloading/);
      // Nothing left for a restart to take over.
      for (let i = 0; (await bot.store.scans(`CDL:${ts}`)).length; i++) {
        if (i > 250) throw new Error('the scan record was never ended');
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      release();
    }
  });

  it('stalled after its first bytes: the thread says how much arrived and that nothing from the file is used; the next file is read as usual', async () => {
    const release = fake.stall('stalled.plist', 100);
    try {
      const ts = nextTs();
      await bot.event(fileShare('CDL', ts, [fake.addFile('FSTL', 'stalled.plist', MDM_PLIST)]));
      const r = await replyMatching('CDL', ts, /stalled\.plist/);
      expect(String(r.args.text)).toMatch(
        /^:x: the download of stalled\.plist stalled: nothing arrived for 1 s after 100 bytes of 664 bytes, so pushcheck stopped it and used nothing from the file\. Share the file again/,
      );
      const summary = await summaryTs(bot, `CDL:${ts}`);
      expect(blocksText(edits(summary).at(-1)!.args)).not.toMatch(/downloading/);
      expect((await bot.store.getCase(`CDL:${ts}`))!.evidence).toEqual([]);

      await bot.event({ ...fileShare('CDL', nextTs(), [fake.addFile('FOK', 'MDM.plist', MDM_PLIST)]), thread_ts: ts });
      await replyMatching('CDL', ts, /MDM\.plist\*: \d+ observations read/);
    } finally {
      release();
    }
  });
});

describe('a download slower than the total limit (0.02 minutes)', () => {
  it('is stopped when the limit passes, and the thread says so with how much had arrived', async () => {
    const bot = await startBot(fake, tempDb(), { PUSHCHECK_DOWNLOAD_TIMEOUT_MINUTES: '0.02' });
    const release = fake.stall('crawling.plist', 100);
    try {
      const ts = nextTs();
      await bot.event(fileShare('CTT', ts, [fake.addFile('FCRAWL', 'crawling.plist', MDM_PLIST)]));
      const r = await replyMatching('CTT', ts, /crawling\.plist/);
      expect(String(r.args.text)).toMatch(
        /^:x: the download of crawling\.plist took longer than 1\.2 s \(100 bytes of 664 bytes had arrived\), so pushcheck stopped it and used nothing from the file\./,
      );
    } finally {
      release();
      await bot.stop();
    }
  });
});

describe('the size limit', () => {
  it("uses the larger of the file's details and the download's Content-Length", async () => {
    const bot = await startBot(fake, tempDb(), { PUSHCHECK_MAX_FILE_MB: '0.01' });
    try {
      const ts = nextTs();
      const file = { ...fake.addFile('FBIG', 'server.log', 'x'.repeat(50_000)), size: 100 }; // the event under-reports it
      await bot.event(fileShare('CSZ', ts, [file]));
      const r = await replyMatching('CSZ', ts, /server\.log/);
      expect(String(r.args.text).split('\n')[0]).toBe(
        ":x: server.log is 49 KB (Slack's file details said 100 bytes, the download 49 KB), over the 10 KB limit (PUSHCHECK_MAX_FILE_MB)",
      );
    } finally {
      await bot.stop();
    }
  });
});

describe('Slack rate-limits the summary edit (HTTP 429 with Retry-After)', () => {
  it('once: the edit is tried again after the wait Slack asked for, and the report shows in the summary', async () => {
    const bot = await startBot(fake, tempDb());
    try {
      fake.rateLimit('chat.update:CRL1', 1, 1);
      await bot.command({ command: '/pushcheck', text: `topic=${TOPIC} magic=${SERVER_MAGIC}`, channel_id: 'CRL1', user_id: 'U3' });
      const root = await rootOf('CRL1');
      const summary = await summaryTs(bot, `CRL1:${root}`);
      const [refused, done] = await fake.waitFor(() => edits(summary).length >= 2 && edits(summary));
      expect(refused!.result).toEqual({ ok: false, error: 'ratelimited' });
      expect(done!.at - refused!.at).toBeGreaterThanOrEqual(950);
      expect(blocksText(done!.args)).toContain('pushcheck diagnosis');
      expect(replies('CRL1', root).filter((c) => c.args.blocks)).toHaveLength(0); // no second summary
    } finally {
      await bot.stop();
    }
  });

  it('for good: the report is posted as a new message in the thread, and the next change edits that one', async () => {
    const bot = await startBot(fake, tempDb(), {}, undefined, { summaryEditAttempts: 2, maxRetryAfterMs: 20 });
    try {
      fake.rateLimit('chat.update:CRL2', 1);
      await bot.command({ command: '/pushcheck', text: `topic=${TOPIC}`, channel_id: 'CRL2', user_id: 'U3' });
      const root = await rootOf('CRL2');
      const posted = await fake.waitFor(() => replies('CRL2', root).find((c) => c.args.blocks && blocksText(c.args).includes('pushcheck diagnosis')));
      const first = await replyMatching('CRL2', root, /Next question|observation/);
      expect(first).toBeDefined();
      const key = `CRL2:${root}`;
      for (let i = 0; (await bot.store.thread(key))!.summaryTs !== posted.result!.ts; i++) {
        if (i > 250) throw new Error('the posted report never became the summary');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(edits(String(replies('CRL2', root)[0]!.result!.ts)).map((c) => c.result)).toEqual([
        { ok: false, error: 'ratelimited' },
        { ok: false, error: 'ratelimited' },
      ]);

      fake.clearRateLimits();
      await bot.event({
        type: 'message',
        channel: 'CRL2',
        channel_type: 'channel',
        user: 'U2',
        ts: nextTs(),
        thread_ts: root,
        client_msg_id: 'm-rl2',
        text: `server PushMagic: ${SERVER_MAGIC}`,
      });
      const edited = await fake.waitFor(() =>
        edits(String(posted.result!.ts)).find((c) => c.result === undefined || (c.result as { ok?: boolean }).ok !== false),
      );
      expect(blocksText(edited.args)).toContain('pushcheck diagnosis');
    } finally {
      await bot.stop();
    }
  });

  it('on a progress edit: the progress pauses, and the report waits out the same Retry-After before its own edit', async () => {
    const bot = await startBot(fake, tempDb());
    try {
      fake.rateLimit('chat.update:CRL3', 1, 1);
      const ts = nextTs();
      await bot.event(fileShare('CRL3', ts, [fake.addFile('FRL3', 'MDM-rl.plist', MDM_PLIST)]));
      await replyMatching('CRL3', ts, /MDM-rl\.plist\*: \d+ observations read/);
      const all = fake.of('chat.update').filter((c) => c.args.channel === 'CRL3');
      const refused = all.findIndex((c) => (c.result as { ok?: boolean } | undefined)?.ok === false);
      expect(refused).toBe(0); // the first progress edit
      const after = all.slice(1);
      expect(after.length).toBeGreaterThan(0);
      for (const c of after) expect(c.at - all[0]!.at).toBeGreaterThanOrEqual(950);
      expect(blocksText(after.at(-1)!.args)).toContain('pushcheck diagnosis');
    } finally {
      await bot.stop();
    }
  });
});

describe('the timeline picture cannot be uploaded', () => {
  it('is reported as exactly that, and the diagnosis and its reply still reach the thread', async () => {
    const bot = await startBot(fake, tempDb());
    try {
      fake.failures.set('files.getUploadURLExternal', 'internal_error');
      const ts = nextTs();
      await bot.event(fileShare('CTL', ts, [fake.addFile('FTL', 'nanomdm.log', NANOMDM_LOG)]));
      const failed = await replyMatching('CTL', ts, /timeline/);
      expect(String(failed.args.text)).toMatch(
        /^:x: pushcheck could not upload the push timeline picture: .*internal_error\nThe diagnosis above is complete without it/,
      );
      await replyMatching('CTL', ts, /nanomdm\.log\*: \d+ observations read/);
      expect(replies('CTL', ts).some((c) => /could not update the diagnosis/.test(String(c.args.text)))).toBe(false);
      const summary = await summaryTs(bot, `CTL:${ts}`);
      expect(blocksText(edits(summary).at(-1)!.args)).toContain('pushcheck diagnosis');
    } finally {
      await bot.stop();
    }
  });
});

describe('four files read at once over a slow link', () => {
  it('keep their progress edits, all threads together, within the shared pace (here 120 a minute, 3 at once), each thread gets its turn, and every report arrives', {
    timeout: 60_000,
  }, async () => {
    // Four readers, so that the four files are read at the same time.
    const pool = new WorkerPool({ ...testWorkers(), size: 5 });
    const bot = await startBot(fake, tempDb(), {}, undefined, { progressEditsPerMinute: 120, runner: pool });
    try {
      // The pace is the bot's: edits are timed as the bot sends them (on a loaded machine, two sent a second
      // apart can reach the fake Slack closer together than that).
      const sent: { ts: string; at: number; text: string }[] = [];
      const update = bot.deps.edits.chat.update;
      bot.deps.edits.chat.update = (args) => {
        sent.push({ ts: String(args?.ts), at: performance.now(), text: blocksText(args as unknown as Record<string, unknown>) });
        return update(args);
      };
      // A server log of about 40 KB arriving at 1 KB every 100 ms: about four seconds of progress per file.
      const log = Buffer.concat(Array.from({ length: 60 }, () => NANOMDM_LOG)).subarray(0, 40_000);
      const roots = ['CP1', 'CP2', 'CP3', 'CP4'].map((channel) => ({ channel, ts: nextTs() }));
      for (const { channel, ts } of roots) {
        const name = `slow-${channel}.log`;
        fake.trickle(name, 1024, 100);
        await bot.event(fileShare(channel, ts, [fake.addFile(`F${channel}`, name, log)]));
      }
      for (const { channel, ts } of roots)
        await fake.waitFor(() => replies(channel, ts).find((c) => /slow-CP\d\.log\*: \d+ observations read/.test(String(c.args.text))), 30_000);

      const summaries = await Promise.all(roots.map(({ channel, ts }) => summaryTs(bot, `${channel}:${ts}`)));
      const shown = fake.of('chat.update').filter((c) => summaries.includes(String(c.args.ts)) && /Reading \*slow-CP/.test(blocksText(c.args)));
      // Every thread showed its progress at least once…
      for (const ts of summaries) expect(shown.some((c) => c.args.ts === ts)).toBe(true);
      // …and in any second, all threads together sent at most the burst and a second's worth of edits.
      const progress = sent.filter((c) => summaries.includes(c.ts) && /Reading \*slow-CP/.test(c.text));
      expect(progress.length).toBe(shown.length);
      for (const { at } of progress) expect(progress.filter((c) => c.at >= at && c.at < at + 1000).length).toBeLessThanOrEqual(3 + 2);
    } finally {
      await bot.stop();
      await pool.close();
    }
  });
});
