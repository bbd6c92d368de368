import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import { FakeSlack } from '../slack/fakeSlack.js';
import { tempDb } from '../slack/harness.js';
import { eventually, startReplica, type Replica } from './cluster.js';

// One bot on the embedded SQLite store, killed while it reads a file and
// started again: the new process finds the scan the old one left, says in
// the thread which file was interrupted, and reads it again.

const LOG = readFileSync(new URL('../fixtures/text/log_show_compact_mdmclient.log', import.meta.url));
const root = '1700200000.000100';
let fake: FakeSlack;
const running: Replica[] = [];

beforeAll(async () => {
  fake = await new FakeSlack().start();
});
afterAll(async () => {
  for (const r of running) if (r.proc.exitCode === null) await r.stop();
  await fake.stop();
});

const posts = () => fake.of('chat.postMessage').filter((c) => c.args.thread_ts === root);

describe('a restart in the middle of a file', () => {
  it('the thread says which file was interrupted, and the file is read again', async () => {
    const db = tempDb();
    const env = { SLACK_API_URL: fake.apiUrl, PUSHCHECK_DB: db, PUSHCHECK_SCAN_STALE_SECONDS: '0.6' };
    const first = await startReplica('first', env);
    running.push(first);
    const release = fake.stall('mdmclient.log', 1000);
    await first.event(
      {
        type: 'message',
        subtype: 'file_share',
        channel: 'CRS',
        channel_type: 'channel',
        user: 'U1',
        text: '',
        ts: root,
        files: [fake.addFile('FRS', 'mdmclient.log', LOG)],
      },
      'EvRestart1',
    );
    await fake.waitFor(() => fake.downloads.some((d) => d.path.includes('mdmclient.log')), 30_000);
    await first.kill();
    release();
    // What the dead process left: a scan in flight, and a summary saying it was reading.
    const left = new SqliteStore({ path: db, retentionMs: 86_400_000 });
    expect((await left.scans(`CRS:${root}`)).map((s) => s.input)).toEqual(['mdmclient.log']);
    await left.close();

    const second = await startReplica('second', env);
    running.push(second);
    const notice = await fake.waitFor(() => posts().find((c) => /mdmclient\.log\* was interrupted/.test(String(c.args.text))), 30_000);
    expect(String(notice.args.text)).toMatch(/Reading it again\./);
    await fake.waitFor(() => posts().find((c) => /mdmclient\.log\*: \d+ observations? read/.test(String(c.args.text))), 30_000);
    const store = new SqliteStore({ path: db, retentionMs: 86_400_000 });
    try {
      expect((await store.getCase(`CRS:${root}`))!.evidence.map((e) => e.input)).toEqual(['mdmclient.log']);
      // The record of the read in flight goes once the evidence is in.
      await eventually(async () => (await store.scans(`CRS:${root}`)).length === 0);
    } finally {
      await store.close();
    }
    expect(posts().filter((c) => /looking at this/.test(String(c.args.text)))).toHaveLength(1);
  }, 90_000); // two process starts: a few seconds alone, far more on a loaded machine
});
