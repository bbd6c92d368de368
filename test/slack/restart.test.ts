import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from './fakeSlack.js';
import { blocksText, startBot, tempDb } from './harness.js';

const MDM_PLIST = readFileSync(new URL('../../examples/mdm-wrong-magic/MDM.plist', import.meta.url));

let fake: FakeSlack;
beforeAll(async () => {
  fake = await new FakeSlack().start();
});
afterAll(async () => {
  await fake.stop();
});

describe('a restart', () => {
  it('continues a thread started before it, editing the same summary message', async () => {
    const db = tempDb();
    const root = '1700002000.000100';
    const first = await startBot(fake, db);
    await first.event(
      {
        type: 'message',
        subtype: 'file_share',
        channel: 'CR',
        channel_type: 'channel',
        user: 'U1',
        text: '',
        ts: root,
        files: [fake.addFile('FR', 'MDM.plist', MDM_PLIST)],
      },
      { eventId: 'EvR1' },
    );
    await fake.waitFor(() => fake.of('chat.postMessage').filter((c) => c.args.thread_ts === root).length >= 2);
    const summary = (await first.store.getCase(`CR:${root}`))!.summaryTs!;
    await first.stop();

    const second = await startBot(fake, db);
    try {
      // Slack retries an event the first process already handled: still one reply.
      await second.event(
        { type: 'message', subtype: 'file_share', channel: 'CR', channel_type: 'channel', user: 'U1', text: '', ts: root, files: [] },
        { eventId: 'EvR1', retryNum: 1 },
      );
      await second.event({
        type: 'message',
        channel: 'CR',
        channel_type: 'channel',
        user: 'U2',
        ts: '1700002001.000100',
        thread_ts: root,
        client_msg_id: 'm-r',
        text: 'server PushMagic: 0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03',
      });
      const reply = await fake.waitFor(() =>
        fake.of('chat.postMessage').find((c) => c.args.thread_ts === root && /open → confirmed/.test(String(c.args.text))),
      );
      expect(reply).toBeDefined();
      const posts = fake.of('chat.postMessage').filter((c) => c.args.thread_ts === root);
      expect(posts.filter((c) => /looking at this/.test(String(c.args.text)))).toHaveLength(1); // no second summary
      const update = fake
        .of('chat.update')
        .filter((c) => c.args.ts === summary)
        .at(-1)!;
      expect(blocksText(update.args)).toMatch(/CONFIRMED: The server's PushMagic is not the one the device expects/);
      expect((await second.store.getCase(`CR:${root}`))!.evidence.map((e) => e.input)).toEqual(['MDM.plist', 'message from U2 at 1700002001.000100']);
    } finally {
      await second.stop();
    }
  });
});

describe('the file size cap', () => {
  it('refuses a file whose metadata is over the cap', async () => {
    const bot = await startBot(fake, tempDb(), { PUSHCHECK_MAX_FILE_MB: '0.001' }); // 1048 bytes
    try {
      const big = fake.addFile('FBIG', 'big.tar.gz', Buffer.alloc(5000, 1));
      await bot.event({ type: 'message', subtype: 'file_share', channel: 'CS', user: 'U1', text: '', ts: '1700003000.000100', files: [big] });
      const r1 = await fake.waitFor(() =>
        fake.of('chat.postMessage').find((c) => c.args.thread_ts === '1700003000.000100' && /over the/.test(String(c.args.text))),
      );
      expect(String(r1.args.text)).toMatch(/big\.tar\.gz is 0\.0 MB, over the 0\.0 MB limit \(PUSHCHECK_MAX_FILE_MB\)/);
    } finally {
      await bot.stop();
    }
  });
});

describe('a file cut at the size cap while streaming', () => {
  it('keeps what its first MB held, and the thread reply and the summary say it was cut and only its first 0.1 MB were read', async () => {
    const bot = await startBot(fake, tempDb(), { PUSHCHECK_MAX_FILE_MB: '0.1' });
    try {
      const log = readFileSync(new URL('../fixtures/text/log_show_compact_mdmclient.log', import.meta.url), 'utf8');
      const filler = '2024-03-04 10:01:16.002 Df kernel[0:1a] (AppleUSBHostController) port reset\n'.repeat(3000); // ~230 KB
      // The metadata under-reports the size and the download has no Content-Length, so only the stream can find out.
      const file = { ...fake.addFile('FCUT', 'mdmclient-big.log', log + filler), size: 700 };
      fake.unsized.add('mdmclient-big.log');
      const root = '1700003002.000100';
      await bot.event({ type: 'message', subtype: 'file_share', channel: 'CS', user: 'U1', text: '', ts: root, files: [file] });
      const reply = await fake.waitFor(() =>
        fake.of('chat.postMessage').find((c) => c.args.thread_ts === root && /mdmclient-big\.log/.test(String(c.args.text))),
      );
      const said = String(reply.args.text);
      expect(said).toMatch(/mdmclient-big\.log\*: \d+ observations? read/);
      expect(said).toMatch(/cut at the 0\.1 MB limit \(PUSHCHECK_MAX_FILE_MB\): only its first 0\.1 MB were read/);

      const s = (await bot.store.getCase(`CS:${root}`))!;
      const evidence = s.evidence.find((e) => e.input === 'mdmclient-big.log')!;
      expect(evidence.facts.length).toBeGreaterThan(0); // the lines before the cap still count
      const summary = fake
        .of('chat.update')
        .filter((c) => c.args.ts === s.summaryTs)
        .at(-1)!;
      expect(blocksText(summary.args)).toMatch(
        /Inputs that could not be used[\s\S]*mdmclient-big\.log: .*cut at the 0\.1 MB limit \(PUSHCHECK_MAX_FILE_MB\): only its first 0\.1 MB were read/,
      );
    } finally {
      await bot.stop();
    }
  });
});

describe('the per-channel trigger', () => {
  it('in a mention-only channel, a file starts a diagnosis only when the bot is mentioned', async () => {
    const bot = await startBot(fake, tempDb(), { PUSHCHECK_TRIGGER: 'member', PUSHCHECK_CHANNEL_TRIGGERS: 'CQUIET=mention' });
    try {
      const file = fake.addFile('FT', 'MDM.plist', MDM_PLIST);
      await bot.event({ type: 'message', subtype: 'file_share', channel: 'CQUIET', user: 'U1', text: 'fyi', ts: '1700007000.000100', files: [file] });
      await bot.event({
        type: 'message',
        subtype: 'file_share',
        channel: 'CQUIET',
        user: 'U1',
        text: '<@UBOT> please look',
        ts: '1700007001.000100',
        files: [file],
      });
      await bot.event({ type: 'message', subtype: 'file_share', channel: 'CLOUD', user: 'U1', text: '', ts: '1700007002.000100', files: [file] });
      await fake.waitFor(() =>
        ['1700007001.000100', '1700007002.000100'].every((ts) =>
          fake.of('chat.postMessage').some((c) => c.args.thread_ts === ts && /observations read/.test(String(c.args.text))),
        ),
      );
      expect(fake.of('chat.postMessage').filter((c) => c.args.thread_ts === '1700007000.000100')).toHaveLength(0);
    } finally {
      await bot.stop();
    }
  });
});
