import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, type Call } from '../slack/fakeSlack.js';
import { blocksText, buttonClick } from '../slack/harness.js';
import { PG_URL, postgresAvailable } from '../store/stores.js';
import { eventually, scratchDatabase, startReplica, type Replica } from './cluster.js';

// Two real bot processes in HTTP mode on one Postgres, as behind a load
// balancer: Slack's deliveries for the same threads reach either of them,
// sometimes both at once, and one of them dies in the middle of a file.

const EXAMPLE = new URL('../../examples/mdm-wrong-magic/', import.meta.url);
const MDM_PLIST = readFileSync(new URL('MDM.plist', EXAMPLE));
const PROFILE = readFileSync(new URL('profile-2f7e4c198b3d4a629d056e1f8a7b3c20.stub', EXAMPLE));
const DEVICE_LOG = readFileSync(new URL('../fixtures/text/log_show_compact_mdmclient.log', import.meta.url));
const CHANNEL = 'CREP';

const run = postgresAvailable();
let fake: FakeSlack;
let db: { url: string; drop(): Promise<void> };
let a: Replica;
let b: Replica;
let sql: pg.Client;

let tsSeq = 0;
const nextTs = () => `1700100${String(++tsSeq).padStart(3, '0')}.000100`;
let evSeq = 0;
const nextEvent = () => `EvRep${++evSeq}`;

function fileShare(ts: string, files: Record<string, unknown>[], threadTs?: string) {
  return {
    type: 'message',
    subtype: 'file_share',
    channel: CHANNEL,
    channel_type: 'channel',
    user: 'U1',
    text: '',
    ts,
    files,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  };
}

/** Every message the bot posted in the thread (summary first), and its edits. */
const posts = (root: string) => fake.of('chat.postMessage').filter((c) => c.args.channel === CHANNEL && c.args.thread_ts === root);
const summaries = (root: string) => posts(root).filter((c) => /looking at this/.test(String(c.args.text)));
const replies = (root: string, pattern: RegExp) => posts(root).filter((c) => pattern.test(String(c.args.text)));
const lastUpdate = (ts: string) =>
  fake
    .of('chat.update')
    .filter((c) => c.args.ts === ts)
    .at(-1);

async function row<T>(query: string, params: unknown[]): Promise<T[]> {
  return (await sql.query(query, params)).rows as T[];
}
const evidenceOf = (root: string) =>
  row<{ input: string }>('SELECT input FROM pushcheck.evidence WHERE case_key = $1 ORDER BY id', [`${CHANNEL}:${root}`]).then((r) => r.map((x) => x.input));
const summaryOf = async (root: string) =>
  (await row<{ summary_ts: string }>('SELECT summary_ts FROM pushcheck.cases WHERE key = $1', [`${CHANNEL}:${root}`]))[0]?.summary_ts;

function answerButtons(update: Call): { action_id: string; value: string; text: { text: string } }[] {
  return (update.args.blocks as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[])
    .filter((bl) => bl.type === 'actions')
    .flatMap((bl) => bl.elements ?? [])
    .filter((x) => /^answer_\d+$/.test(x.action_id) && JSON.parse(x.value).v !== 'unknown');
}

function click(replica: Replica, root: string, summary: string, button: { action_id: string; value: string }, user: string, actionTs: string) {
  return replica.interaction(buttonClick(CHANNEL, root, summary, button, user, actionTs));
}

// Real processes over real sockets: generous time for a loaded machine; every wait is for a condition.
describe.skipIf(!run)('two bot replicas on one Postgres', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    fake = await new FakeSlack().start();
    db = await scratchDatabase(PG_URL!);
    const env = { SLACK_API_URL: fake.apiUrl, PUSHCHECK_DATABASE_URL: db.url, PUSHCHECK_SCAN_STALE_SECONDS: '1' };
    [a, b] = await Promise.all([startReplica('a', env), startReplica('b', env)]);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  }, 90_000);

  afterAll(async () => {
    await sql?.end();
    await Promise.all([a, b].map((r) => r && (r.proc.exitCode === null ? r.stop() : undefined)));
    await fake?.stop();
    await db?.drop();
  });

  it('the same event delivered to both is handled once: one summary, one reply', async () => {
    const root = nextTs();
    const file = fake.addFile('FR1', 'MDM.plist', MDM_PLIST);
    const event = fileShare(root, [file]);
    const id = nextEvent();
    const [ra, rb] = await Promise.all([a.event(event, id), b.event(event, id)]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    await fake.waitFor(() => replies(root, /MDM\.plist\*: \d+ observations? read/).length >= 1, 30_000);
    await eventually(async () => (await evidenceOf(root)).length >= 1);
    expect(summaries(root)).toHaveLength(1);
    expect(replies(root, /MDM\.plist\*/)).toHaveLength(1);
    expect(await evidenceOf(root)).toEqual(['MDM.plist']);
  });

  it('two files in one thread at the same moment, one to each replica: both read, one summary, one reply each', async () => {
    const root = nextTs();
    await a.event(fileShare(root, [fake.addFile('FR2', 'MDM.plist', MDM_PLIST)]), nextEvent());
    await fake.waitFor(() => replies(root, /MDM\.plist\*/).length === 1, 30_000);
    const [r1, r2] = [nextTs(), nextTs()];
    await Promise.all([
      a.event(fileShare(r1, [fake.addFile('FR3', 'profile.stub', PROFILE)], root), nextEvent()),
      b.event(fileShare(r2, [fake.addFile('FR4', 'mdmclient.log', DEVICE_LOG)], root), nextEvent()),
    ]);
    await fake.waitFor(() => replies(root, /profile\.stub\*/).length === 1 && replies(root, /mdmclient\.log\*/).length === 1, 30_000);
    expect((await evidenceOf(root)).sort()).toEqual(['MDM.plist', 'mdmclient.log', 'profile.stub']);
    expect(summaries(root)).toHaveLength(1);
    // The summary the thread ends with was built from all three files: the profile command the Mac's
    // user channel answered NotNow is in mdmclient.log, and the evidence line names each file.
    const summary = blocksText(lastUpdate((await summaryOf(root))!)!.args);
    expect(summary).toMatch(/LIKELY: A profile command reached the user channel/);
    for (const name of ['MDM.plist', 'profile.stub', 'mdmclient.log']) expect(summary).toContain(name);
  });

  it('threads alternate between the replicas without crossing', async () => {
    const roots = [nextTs(), nextTs(), nextTs(), nextTs()];
    await Promise.all(roots.map((root, i) => (i % 2 ? b : a).event(fileShare(root, [fake.addFile(`FR-alt-${i}`, `MDM-${i}.plist`, MDM_PLIST)]), nextEvent())));
    await fake.waitFor(() => roots.every((root, i) => replies(root, new RegExp(`MDM-${i}\\.plist\\*`)).length === 1), 30_000);
    for (const [i, root] of roots.entries()) {
      expect(summaries(root)).toHaveLength(1);
      expect(await evidenceOf(root)).toEqual([`MDM-${i}.plist`]);
    }
  });

  it('two answers to the same question at once, one per replica: both kept, the later one stands and the thread says so', async () => {
    const root = nextTs();
    await b.event(fileShare(root, [fake.addFile('FR5', 'MDM.plist', MDM_PLIST)]), nextEvent());
    await fake.waitFor(() => replies(root, /MDM\.plist\*/).length === 1, 30_000);
    const summary = (await summaryOf(root))!;
    const [first, second] = answerButtons(lastUpdate(summary)!);
    const question = JSON.parse(first!.value).q as string;
    // U2 clicked a second after U1; the two clicks reach different replicas at the same moment.
    await Promise.all([click(a, root, summary, first!, 'U1', '1700100500.000001'), click(b, root, summary, second!, 'U2', '1700100501.000001')]);
    await fake.waitFor(() => replies(root, /<@U1> answered/).length === 1 && replies(root, /<@U2> answered/).length === 1, 30_000);
    const answers = await row<{ answered_by: string; value: string }>(
      'SELECT answered_by, value FROM pushcheck.answers WHERE case_key = $1 AND question = $2 ORDER BY answered_at',
      [`${CHANNEL}:${root}`, question],
    );
    expect(answers.map((x) => x.answered_by)).toEqual(['U1', 'U2']);
    // Whichever was recorded second says how the two relate.
    const said = posts(root)
      .map((c) => String(c.args.text))
      .join('\n');
    expect(said).toMatch(/This replaces <@U1>'s earlier answer .*: the later answer stands\.|<@U2>'s later answer .* stands/);
    // The summary shows U2's answer taken: the question is no longer asked.
    await fake.waitFor(() => answerButtons(lastUpdate(summary)!).every((x) => JSON.parse(x.value).q !== question), 15_000);
  });

  it('"Show all evidence" clicked by two people at once, one per replica: the full report is attached once, the other is told it is still current', async () => {
    const root = nextTs();
    await a.event(fileShare(root, [fake.addFile('FR7', 'MDM.plist', MDM_PLIST)]), nextEvent());
    await fake.waitFor(() => replies(root, /MDM\.plist\*/).length === 1, 30_000);
    const summary = (await summaryOf(root))!;
    const show = (lastUpdate(summary)!.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
      .flatMap((bl) => (bl.type === 'actions' ? (bl.elements ?? []) : []))
      .find((x) => x.action_id === 'show_all_evidence')!;
    await Promise.all([click(a, root, summary, show, 'U1', '1700100600.000001'), click(b, root, summary, show, 'U2', '1700100600.000002')]);
    // Each click's work runs under the thread's lock across processes: the second sees the first one's attachment.
    await fake.waitFor(() => replies(root, /still current/).length === 1, 30_000);
    const attached = fake
      .of('files.completeUploadExternal')
      .filter((c) => c.args.thread_ts === root && /asked for all the evidence/.test(String(c.args.initial_comment)));
    expect(attached).toHaveLength(1);
  });

  it('a replica killed in the middle of a file: the other one says so in the thread and reads the file again', async () => {
    const root = nextTs();
    const big = Buffer.concat([DEVICE_LOG, Buffer.from('2024-03-04 10:01:16.002 Df kernel[0:1a] (AppleUSBHostController) port reset\n'.repeat(4000))]);
    const release = fake.stall('big-mdmclient.log', 4096);
    await a.event(fileShare(root, [fake.addFile('FR6', 'big-mdmclient.log', big)]), nextEvent());
    // a is downloading the file, and has recorded that it is.
    await fake.waitFor(() => fake.downloads.some((d) => d.path.includes('big-mdmclient.log')), 30_000);
    await eventually(async () => (await row('SELECT 1 FROM pushcheck.scans WHERE case_key = $1', [`${CHANNEL}:${root}`])).length === 1);
    await a.kill();
    release();
    const notice = await fake.waitFor(() => replies(root, /big-mdmclient\.log/).find((c) => /interrupted/.test(String(c.args.text))), 30_000);
    expect(String(notice.args.text)).toMatch(/Reading it again/);
    await fake.waitFor(() => replies(root, /big-mdmclient\.log\*: \d+ observations? read/).length === 1, 30_000);
    expect(await evidenceOf(root)).toEqual(['big-mdmclient.log']);
    // The record of the read in flight goes once the evidence is in.
    await eventually(async () => (await row('SELECT 1 FROM pushcheck.scans WHERE case_key = $1', [`${CHANNEL}:${root}`])).length === 0);
    expect(summaries(root)).toHaveLength(1);
    // The summary no longer says it is reading.
    expect(blocksText(lastUpdate((await summaryOf(root))!)!.args)).not.toMatch(/Reading|downloading/);
  });

  it('the surviving replica logged no unhandled error', () => {
    expect(b.logs.filter((l) => /unhandled|"level":50/.test(l))).toEqual([]);
  });
});
