import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { buildReport } from '../../src/case/index.js';
import { polishDraft } from '../../src/escalation/polish.js';
import { renderFeedbackDraft } from '../../src/escalation/draft.js';
import { MAGIC, TOKEN, UDID, ruledOutFacts, zoneLessServerLogFacts } from '../fixtures/escalation/mdmRuledOut.js';
import { shipped } from '../support/rules.js';

/**
 * A stand-in for an OpenAI-compatible endpoint on 127.0.0.1: it records each
 * chat completion request and answers with whatever the test scripted.
 */
type Reply = (draft: string) => { status?: number; content?: string; hang?: boolean };
interface Seen {
  path: string;
  auth?: string;
  body: { model: string; messages: { role: string; content: string }[] };
}

let server: Server;
let baseURL: string;
let reply: Reply;
let seen: Seen[];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as Seen['body'];
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, body });
      const r = reply(body.messages.find((m) => m.role === 'user')?.content ?? '');
      if (r.hang) return; // never answers: the client's deadline must fire
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
      if ((r.status ?? 200) !== 200) return res.end(JSON.stringify({ error: { message: 'upstream broke', type: 'server_error' } }));
      res.end(
        JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          created: 0,
          model: body.model,
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: r.content } }],
        }),
      );
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});

beforeEach(() => {
  seen = [];
});

const report = buildReport(diagnose({ facts: ruledOutFacts() }, shipped()));
const template = renderFeedbackDraft(report);
const options = () => ({ apiKey: 'sk-test', baseURL, model: 'test-model', maxRetries: 0, timeoutMs: 2000 });

const SENTENCE = 'The device did not reach the MDM server within a minute of any of them.';
// The fixture's push times (PUSHES) as the draft writes them.
const PUSHED_AT = ['2024-05-06 09:00:00 UTC', '2024-05-06 15:30:00 UTC', '2024-05-07 08:15:00 UTC'];
const REWORDED = 'The device did not contact the MDM server after any of these pushes.';

describe('model polish of the Feedback draft, against a local OpenAI-compatible server', () => {
  it('accepts a faithful rewrite that only changes prose', async () => {
    reply = (draft) => ({ content: draft.replace(SENTENCE, REWORDED) });
    const r = await polishDraft(report, options());
    expect(r).toMatchObject({ polished: true, model: 'test-model' });
    expect(r.reason).toBeUndefined();
    expect(r.draft).toContain(REWORDED);
    expect(r.draft).not.toContain(SENTENCE);
    expect(r.draft).toContain(TOKEN);
  });

  it('sends the template draft with the fixed system prompt, and asks nothing about causes', async () => {
    reply = (draft) => ({ content: draft });
    await polishDraft(report, options());
    expect(seen).toHaveLength(1);
    expect(seen[0].path).toBe('/v1/chat/completions');
    expect(seen[0].auth).toBe('Bearer sk-test');
    expect(seen[0].body.model).toBe('test-model');
    const [system, user] = seen[0].body.messages;
    expect(system.role).toBe('system');
    expect(system.content).toContain('Copy every value character for character');
    expect(system.content).toContain('Do not guess what the cause is');
    expect(user).toEqual({ role: 'user', content: template });
  });

  it('unwraps a rewrite the model put in a code fence', async () => {
    reply = (draft) => ({ content: `\`\`\`text\n${draft.replace(SENTENCE, REWORDED)}\n\`\`\`` });
    const r = await polishDraft(report, options());
    expect(r.polished).toBe(true);
    expect(r.draft.startsWith('Title: ')).toBe(true);
  });

  it('rejects a rewrite that changes one hex digit of the push token, and uses the template', async () => {
    const altered = TOKEN.slice(0, 20) + (TOKEN[20] === '0' ? '1' : '0') + TOKEN.slice(21);
    reply = (draft) => ({ content: draft.split(TOKEN).join(altered).replace(SENTENCE, REWORDED) });
    const r = await polishDraft(report, options());
    expect(r.polished).toBe(false);
    expect(r.draft).toBe(template);
    expect(r.reason).toBe("the model's rewrite was rejected: the rewrite lost or changed the push token; the template draft is used");
  });

  it('rejects a rewrite that drops the time of a failed push', async () => {
    reply = (draft) => ({
      content: draft
        .split('\n')
        .filter((l) => !l.startsWith(`- ${PUSHED_AT[1]}`))
        .join('\n')
        .split(PUSHED_AT[1])
        .join('mid-afternoon'),
    });
    const r = await polishDraft(report, options());
    expect(r.polished).toBe(false);
    expect(r.draft).toBe(template);
    expect(r.reason).toContain('lost or changed the time of push 2');
  });

  it('rejects a rewrite that adds a UUID the facts do not hold', async () => {
    reply = (draft) => ({ content: `${draft}\nApple reference: 9b2f4c1e-7a3d-4e8b-b6c5-0d1e2f3a4b5c\n` });
    const r = await polishDraft(report, options());
    expect(r.polished).toBe(false);
    expect(r.draft).toBe(template);
    expect(r.reason).toContain('contains a UUID that is not in the facts');
  });

  it('rejects a rewrite that makes up an APNs answer the server never logged', async () => {
    // The server logged 200 for every push; a rewrite that "explains" them with a 410 invents a fact.
    reply = (draft) => ({ content: draft.replace(SENTENCE, 'APNs later answered 410 for this token.') });
    const r = await polishDraft(report, options());
    expect(r.polished).toBe(false);
    expect(r.reason).toContain('contains a status code that is not in the facts (410)');
  });

  it('rejects a rewrite that names an APNs reason the evidence does not hold', async () => {
    reply = (draft) => ({ content: draft.replace(SENTENCE, 'The pushes most likely failed with BadDeviceToken.') });
    const r = await polishDraft(report, options());
    expect(r.polished).toBe(false);
    expect(r.reason).toContain('(BadDeviceToken)');
  });

  it('rejects a rewrite that adds a cause of its own, however it words it, when it brings a value', async () => {
    reply = (draft) => ({ content: draft.replace(SENTENCE, 'The device was probably restored from backup on 2024-05-05, giving it a new token.') });
    const r = await polishDraft(report, options());
    expect(r.polished).toBe(false);
    expect(r.reason).toContain('timestamp that is not in the facts (2024-05-05)');
  });

  it('rejects a rewrite that reformats a time (Apple gets the times exactly as the draft states them)', async () => {
    reply = (draft) => ({ content: draft.replace(`- ${PUSHED_AT[0]}:`, '- May 6, 2024 09:00:00 UTC:') });
    const r = await polishDraft(report, options());
    expect(r.polished).toBe(false);
    // The time still stands in the summary, so it is the invented date form that gives it away.
    expect(r.reason).toContain('contains a date that is not in the facts (May 6, 2024)');
  });

  it('rejects a rewrite that moves a time by an hour, even when it keeps the form', async () => {
    reply = (draft) => ({ content: draft.split(PUSHED_AT[2]).join('2024-05-07 09:15:00 UTC') });
    const r = await polishDraft(report, options());
    expect(r.polished).toBe(false);
    expect(r.reason).toContain('lost or changed the time of push 3');
  });

  it("rejects a rewrite that calls the server log's zone-less times UTC, and says so", async () => {
    // The same case, with the server's log writing its local time and no zone (NanoMDM's Go log, Jamf Pro's log4j).
    const local = buildReport(diagnose({ facts: zoneLessServerLogFacts() }, shipped()));
    const draft = renderFeedbackDraft(local);
    expect(draft).toContain("Between 2024-05-06 09:00:00 and 2024-05-06 15:30:00 (the server log's local time; its zone is not in the evidence)");
    // The push list keeps its "(zone unknown)" marks; only the summary's clock is made UTC.
    reply = (d) => ({
      content: d.replace(
        "Between 2024-05-06 09:00:00 and 2024-05-06 15:30:00 (the server log's local time; its zone is not in the evidence)",
        'Between 2024-05-06 09:00:00 UTC and 2024-05-06 15:30:00 UTC',
      ),
    });
    const r = await polishDraft(local, options());
    expect(r.polished).toBe(false);
    expect(r.draft).toBe(draft);
    expect(r.reason).toBe(
      "the model's rewrite was rejected: the rewrite gives a zone (2024-05-06 09:00:00 UTC) to a time the evidence holds without one; the template draft is used",
    );
  });

  it("rejects a rewrite that swaps two pushes' apns-ids (each push keeps its own answer on its own line)", async () => {
    const ids = ['4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B', '5F2A8B3C-0D4E-4F6A-9B7C-8D9E0F1A2B3C', '6A3B9C4D-1E5F-4A7B-8C9D-0E1F2A3B4C5D'];
    let n = 0;
    const facts = ruledOutFacts().map((f) => (f.name === 'server.push_sent' ? { ...f, attrs: { ...f.attrs, apns_id: ids[n++]! } } : f));
    const withIds = buildReport(diagnose({ facts }, shipped()));
    const draft = renderFeedbackDraft(withIds);
    expect(draft).toContain(`- ${PUSHED_AT[0]}: APNs response: 200; no device contact with the MDM server within a minute; apns-id ${ids[0]};`);
    reply = (d) => ({ content: d.replace(ids[0]!, 'FIRST').replace(ids[1]!, ids[0]!).replace('FIRST', ids[1]!) });
    const r = await polishDraft(withIds, options());
    expect(r.polished).toBe(false);
    expect(r.draft).toBe(draft);
    expect(r.reason).toBe("the model's rewrite was rejected: the rewrite moved the apns-id of push 1 off that push's line; the template draft is used");
  });

  it('rejects a rewrite that drops the UDID', async () => {
    reply = (draft) => ({ content: draft.split(UDID).join('the device') });
    expect((await polishDraft(report, options())).reason).toContain("lost or changed the device's UDID");
  });

  it('accepts a rewrite that rewords the evidence lines but keeps every value', async () => {
    reply = (draft) => ({ content: draft.split('  Evidence: ').join('  Seen: ').replace(SENTENCE, REWORDED) });
    const r = await polishDraft(report, options());
    expect(r).toMatchObject({ polished: true });
  });

  it('falls back when the model does not answer in time', async () => {
    reply = () => ({ hang: true });
    const started = performance.now();
    const r = await polishDraft(report, { ...options(), timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(r).toEqual({ draft: template, polished: false, reason: 'the model did not answer within 0.3 s; the template draft is used' });
  });

  it('falls back when the endpoint answers 500', async () => {
    reply = () => ({ status: 500 });
    const r = await polishDraft(report, options());
    expect(r).toEqual({ draft: template, polished: false, reason: 'the model endpoint answered HTTP 500; the template draft is used' });
    expect(seen).toHaveLength(1);
  });

  it('needs no model at all: without OPENAI_API_KEY it returns the template and calls nothing', async () => {
    reply = (draft) => ({ content: draft });
    const r = await polishDraft(report, { env: { OPENAI_BASE_URL: baseURL } });
    expect(r).toEqual({ draft: template, polished: false, reason: 'OPENAI_API_KEY is not set; the template draft is used' });
    expect(seen).toHaveLength(0);
  });

  it('reads OPENAI_API_KEY, OPENAI_BASE_URL and PUSHCHECK_OPENAI_MODEL from the environment', async () => {
    reply = (draft) => ({ content: draft });
    const r = await polishDraft(report, { env: { OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: baseURL, PUSHCHECK_OPENAI_MODEL: 'local-llm' }, maxRetries: 0 });
    expect(r.polished).toBe(true);
    expect(seen[0].auth).toBe('Bearer sk-env');
    expect(seen[0].body.model).toBe('local-llm');
  });

  it('polishing the redacted draft never sends the full token, UDID or PushMagic to the model', async () => {
    reply = (draft) => ({ content: draft.replace(SENTENCE, REWORDED) });
    const r = await polishDraft(report, { ...options(), redact: true });
    expect(r.polished).toBe(true);
    const sent = JSON.stringify(seen[0].body);
    for (const secret of [TOKEN, UDID, MAGIC]) {
      expect(sent).not.toContain(secret);
      expect(r.draft).not.toContain(secret);
    }
  });

  it('a redacted rewrite that brings back the full token is rejected', async () => {
    reply = (draft) => ({ content: `${draft}\nToken: ${TOKEN}\n` });
    const r = await polishDraft(report, { ...options(), redact: true });
    expect(r.polished).toBe(false);
    expect(r.draft).not.toContain(TOKEN);
    expect(r.reason).not.toContain(TOKEN);
  });
});
