import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, providerLogLines, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer the pushes to this device's token?", asked of a provider's log
 * that pushes to every installed copy of the app: hundreds of tokens, each accepted a few times, one in seven
 * since unregistered. The report keeps the answers the rules read (the case's token's) as they were logged; the
 * other tokens' answers, which decide nothing for the case, are one fact per answer with how many tokens and
 * pushes they stand for. The verdict is the one a log of a few dozen tokens gets. The lines name the topic as
 * the provider's own field (topic=), once for the whole log. Every value is made up.
 */

const token = (i: number) => createHash('sha256').update(`device ${i}`).digest('hex');
/** Unregistered after its pushes. */
const GONE = token(0);
/** Accepted, and never refused. */
const KEPT = token(1);

/** `tokens` tokens, three accepted pushes each a second apart, then an Unregistered for every seventh token. */
function providerLog(tokens: number): { path: string; answers: number } {
  const { lines, accepted, refused, text } = providerLogLines();
  for (let round = 0; round < 3; round++) for (let i = 0; i < tokens; i++) accepted(token(i));
  for (let i = 0; i < tokens; i += 7) refused(token(i), 410, 'Unregistered');
  return { path: file(`provider-${tokens}.log`, text()), answers: lines.length };
}

// biome-ignore lint/suspicious/noExplicitAny: the parsed JSON report, read key by key in assertions
type Json = Record<string, any>;
/** What the engineer is told: each cause's status, the questions, the notes and the headline. */
const verdict = (r: Json) => ({
  causes: Object.fromEntries(r.causes.map((c: Json) => [c.id, c.status])),
  questions: questionIds(r),
  notes: r.notes.map((n: Json) => n.id),
  headline: r.headline.replace(/\d+ more/g, 'N more'),
  filing: r.filing?.status,
});
const count = (f: Json) => f.count ?? 1;

describe('a provider log of 300 tokens and no word on which device the case is about', () => {
  const many = providerLog(300);
  const few = providerLog(40);

  it('asks which device, and calls no app removed from it', async () => {
    const r = await diagnose(many.path);
    expect(questionIds(r)[0]).toBe('q.case.device');
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
  });

  it('reports a few dozen facts, the answers as one fact per answer that stands for every push and token', async () => {
    const r = await diagnose(many.path);
    expect(r.facts.length).toBeLessThan(40);
    const folded = facts(r, 'apns.response_other_tokens');
    expect(folded.map((f) => [f.value, f.attrs.tokens, count(f), f.setAside])).toEqual([
      ['200', '300', 900, true],
      ['Unregistered', '43', 43, true],
    ]);
    expect(folded.reduce((n, f) => n + count(f), 0) + facts(r, 'apns.response').reduce((n, f) => n + count(f), 0)).toBe(many.answers);
    // Kept with its examples, and the first and last time it was seen.
    expect(folded[0]!.examples.length).toBeGreaterThan(0);
    expect(folded[0]!.firstAt < folded[0]!.lastAt).toBe(true);
    // The apns-ids to look up in the Console are a bounded few of the 943.
    expect(facts(r, 'apns.apns_id').length).toBeLessThanOrEqual(20);
  });

  it('gives the verdict a log of 40 tokens gives', async () => {
    expect(verdict(await diagnose(many.path))).toEqual(verdict(await diagnose(few.path)));
  });
});

describe('the same log, the case named as one of its devices', () => {
  const many = providerLog(300);
  const few = providerLog(40);

  it("named as the unregistered token's device: the app was probably removed, on its own answers, kept whole", async () => {
    const r = await diagnose(many.path, '--answer', `q.case.device=${GONE}`);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
    expect(questionIds(r)).not.toContain('q.case.device');
    const own = facts(r, 'apns.response');
    expect(own.map((f) => [f.value, f.attrs.token, count(f)])).toEqual([
      ['200', GONE, 3],
      ['Unregistered', GONE, 1],
    ]);
    expect(facts(r, 'apns.response_other_tokens').map((f) => [f.value, f.attrs.tokens])).toEqual([
      ['200', '299'],
      ['Unregistered', '42'],
    ]);
    expect(r.facts.length).toBeLessThan(40);
    expect(verdict(r)).toEqual(verdict(await diagnose(few.path, '--answer', `q.case.device=${GONE}`)));
  });

  it("named as an accepted token's device: no app removed, as with 40 tokens", async () => {
    const r = await diagnose(many.path, '--answer', `q.case.device=${KEPT}`);
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
    expect(facts(r, 'apns.response').every((f) => f.attrs.token === KEPT)).toBe(true);
    expect(verdict(r)).toEqual(verdict(await diagnose(few.path, '--answer', `q.case.device=${KEPT}`)));
  });
});
