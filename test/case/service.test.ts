import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CaseService, parseKeyValues } from '../../src/case/index.js';
import { loadExample, runTerminal } from '../../src/terminal/guided.js';
import { SqliteStore } from '../../src/store/sqlite.js';

const SERVER_MAGIC = '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03';
const at = '2026-03-02T09:00:00.000Z';
const newSessions = () => new CaseService(new SqliteStore({ path: ':memory:', retentionMs: 86_400_000 }));

function capture() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString('utf8')));
  return { out, text: () => text };
}

describe('a diagnosis session', () => {
  it("the bundled example: the device plist and the server's pasted values confirm the wrong PushMagic", async () => {
    const sessions = newSessions();
    const report = await loadExample(sessions, 'k', undefined, at);
    const magic = report.causes.find((c) => c.id === 'mdm.wrong_magic')!;
    expect(magic.status).toBe('confirmed');
    expect(report.causes.find((c) => c.id === 'mdm.wrong_topic')!.status).toBe('ruled_out');
    expect(report.causes.find((c) => c.id === 'mdm.wrong_token')!.status).toBe('ruled_out');
  });

  it('adding values reports what changed; named server values become server facts', async () => {
    const sessions = newSessions();
    await sessions.open('k', { channel: 'C', threadTs: '1' });
    const first = await sessions.addServerValues('k', { magic: SERVER_MAGIC }, '/pushcheck', { by: 'U1', at });
    expect(first.newFacts).toBe(1);
    expect(first.diagnosis.facts.find((f) => f.name === 'server.push_magic')?.value).toBe(SERVER_MAGIC);
    const second = await sessions.addPaste('k', 'plutil -p MDM.plist | grep PushMagic\n  "PushMagic" => "8E41B7C2-5D0A-4F93-A6E1-3C7B29D054F8"', 'pasted', {
      by: 'U2',
      at,
    });
    expect(second.changes).toContain("The server's PushMagic is not the one the device expects: open → confirmed");
  });

  it('an answer that does not fit the question is refused; a second answer stands and names the one it replaced', async () => {
    const sessions = newSessions();
    await sessions.open('k', { channel: 'C', threadTs: '1' });
    await sessions.addServerValues('k', { magic: SERVER_MAGIC }, '/pushcheck', { at });
    expect(await sessions.answer('k', { question: 'q.mdm.enrolled', value: 'perhaps', by: 'U1', at })).toMatchObject({
      ok: false,
      message: expect.stringContaining('yes or no'),
    });
    const a = await sessions.answer('k', { question: 'q.mdm.enrolled', value: 'yes', by: 'U1', at });
    expect(a.ok && a.superseded).toBeFalsy();
    const b = await sessions.answer('k', { question: 'q.mdm.enrolled', value: 'no', by: 'U2', at });
    expect(b).toMatchObject({ ok: true, superseded: { by: 'U1', value: 'yes' } });
    expect((await sessions.current('k')).diagnosis.facts.find((f) => f.name === 'device.mdm_enrolled')?.value).toBe(false);
  });

  it('applies concurrent additions to one session one after the other, losing none', async () => {
    const sessions = newSessions();
    await sessions.open('k', { channel: 'C', threadTs: '1' });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => sessions.addPaste('k', `server PushMagic: A${i}00C2B-5D0A-4F93-A6E1-3C7B29D054F8`, `p${i}`, { at })),
    );
    expect((await sessions.get('k'))!.evidence).toHaveLength(10);
  });
});

describe('/pushcheck key=value text', () => {
  it('splits topic, magic and a token with spaces; the rest is kept for the paste parser', () => {
    expect(parseKeyValues('topic=com.apple.mgmt.External.x magic=ABC-123 token=<9f3c2a71 d4e85b06> see thread')).toEqual({
      values: { topic: 'com.apple.mgmt.External.x', magic: 'ABC-123', token: '<9f3c2a71 d4e85b06> see thread' },
      rest: '',
    });
    expect(parseKeyValues('please check magic=M1')).toEqual({ values: { magic: 'M1' }, rest: 'please check' });
  });
});

describe('the terminal (npm start without Slack)', () => {
  it('without a TTY prints the report and the next question, and returns 0', async () => {
    const { out, text } = capture();
    const code = await runTerminal(newSessions(), { input: Readable.from([]), output: out, interactive: false, color: false });
    expect(code).toBe(0);
    expect(text()).toMatch(/\nCONFIRMED {2}The server's PushMagic is not the one the device expects\n/);
    expect(text()).toMatch(/\nNext question \(q\.[a-z_.]+\): .+\n {2}answer: /);
  });

  it('at a prompt: re-asks after an answer that does not fit, records answers, says what changed', async () => {
    // Whatever question the rules put first, answer it with its first offered answer.
    const preview = capture();
    await runTerminal(newSessions(), { input: Readable.from([]), output: preview.out, interactive: false, color: false });
    const valid = /\n {2}answer: ([^\s|]+)/.exec(preview.text())![1];
    const { out, text } = capture();
    const sessions = newSessions();
    const code = await runTerminal(
      sessions,
      { input: Readable.from(['perhaps\n', `${valid}\n`, 'q\n']), output: out, interactive: true, color: false, now: () => new Date(at) },
      'term',
    );
    expect(code).toBe(0);
    expect(text()).toMatch(/takes (yes or no|one of)/);
    const answers = (await sessions.get('term'))!.answers;
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ value: valid, by: 'terminal', at });
  });
});

describe('the work in flight', () => {
  it('reports idle only after every piece of work started, and what it started, has finished', async () => {
    const { Inflight } = await import('../../src/slack/inflight.js');
    const work = new Inflight();
    const done: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    void work.track(async () => {
      await gate;
      void work.track(async () => void done.push('a2'));
      done.push('a1');
    });
    void work.track(async () => void done.push('b1'));
    let idle = false;
    const waiting = work.idle().then(() => (idle = true));
    // Everything not waiting on the gate has run by the next turn of the event loop.
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(done.sort()).toEqual(['a1', 'a2', 'b1']);
    expect(work.size).toBe(0);
  });
});
