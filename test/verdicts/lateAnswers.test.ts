import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, providerLogLines, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer the pushes to this device's token lately?", asked of a long-running
 * app server's log. The answers that decide are the newest ones (the token went 410 last night, the signing key's
 * token expired at the end of the log), well past the first 5,000 answers the reader keeps whole. Each log is
 * checked against the same story told with a few hundred other pushes, which the reader keeps whole: the verdict
 * must be the same. Every value is made up.
 */

const token = (i: number) => createHash('sha256').update(`device ${i}`).digest('hex');
/** The case's device's token. */
const CASE = token(0);

type Story = 'late 410' | 'late BadDeviceToken' | 'late ExpiredProviderToken' | 'recovered' | 'late burst';

/** Three accepted pushes to the case's token, `filler` pushes to `others` other tokens, then the story's end. */
function providerLog(story: Story, filler: number, others = 40): { path: string; answers: number } {
  const { lines, accepted: ok, refused, text } = providerLogLines();
  // A burst: the case's token pushed every 100 answers, and twice in a row once, four fifths of the way in.
  if (story === 'late burst')
    for (let n = 0; n < filler; n++) {
      if (n % 100 === 50) ok(CASE);
      if (n === Math.floor((filler * 0.8) / 100) * 100 + 50) ok(CASE);
      ok(token(1 + (n % others)));
    }
  else for (let i = 0; i < 3; i++) ok(CASE);
  if (story === 'recovered') refused(CASE, 410, 'Unregistered');
  if (story !== 'late burst') for (let n = 0; n < filler; n++) ok(token(1 + (n % others)));
  if (story === 'late 410') refused(CASE, 410, 'Unregistered');
  if (story === 'late BadDeviceToken') refused(CASE, 400, 'BadDeviceToken');
  if (story === 'late ExpiredProviderToken') for (let i = 0; i <= 40; i++) refused(token(i), 403, 'ExpiredProviderToken');
  if (story === 'recovered') ok(CASE);
  for (let n = 0; n < 20; n++) ok(token(1 + (n % others)));
  return { path: file(`late-${story.replace(/ /g, '-')}-${filler}-${others}.log`, text()), answers: lines.length };
}

// biome-ignore lint/suspicious/noExplicitAny: the parsed JSON report, read key by key in assertions
type Json = Record<string, any>;
/** What the engineer is told: each cause's status, the questions, the notes and the headline. */
const verdict = (r: Json) => ({
  causes: Object.fromEntries(r.causes.map((c: Json) => [c.id, c.status])),
  questions: questionIds(r),
  notes: r.notes.map((n: Json) => n.id),
  headline: r.headline,
  filing: r.filing?.status,
});
const named = ['--answer', `q.case.device=${CASE}`];
const count = (f: Json) => f.count ?? 1;

describe('a provider log whose case-deciding answers come after its first 5,000', () => {
  it('the case token went 410 after 6,500 other answers: the app was probably removed, as in a short log', async () => {
    const r = await diagnose(providerLog('late 410', 6500).path, ...named);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
    expect(verdict(r)).toEqual(verdict(await diagnose(providerLog('late 410', 300).path, ...named)));
    expect(r.problems.map((p: Json) => p.code)).toContain('apns.responses_truncated');
  });

  it('the same log with no device named: the same verdict as the short log (nothing ruled out on the first answers alone)', async () => {
    const r = await diagnose(providerLog('late 410', 6500).path);
    expect(questionIds(r)[0]).toBe('q.case.device');
    expect(verdict(r)).toEqual(verdict(await diagnose(providerLog('late 410', 300).path)));
  });

  it('a late BadDeviceToken for the case token judges as in a short log', async () => {
    const r = await diagnose(providerLog('late BadDeviceToken', 6500).path, ...named);
    expect(facts(r, 'apns.response').map((f) => f.value)).toContain('BadDeviceToken');
    expect(verdict(r)).toEqual(verdict(await diagnose(providerLog('late BadDeviceToken', 300).path, ...named)));
  });

  it("a late ExpiredProviderToken for every token: the provider's token authentication is the fault", async () => {
    const r = await diagnose(providerLog('late ExpiredProviderToken', 6500).path, ...named);
    expect(cause(r, 'apns.provider_token')?.status).toBe('confirmed');
    expect(verdict(r)).toEqual(verdict(await diagnose(providerLog('late ExpiredProviderToken', 300).path, ...named)));
    const unnamed = await diagnose(providerLog('late ExpiredProviderToken', 6500).path);
    expect(verdict(unnamed)).toEqual(verdict(await diagnose(providerLog('late ExpiredProviderToken', 300).path)));
  });

  it('a token refused early and accepted again late: the 410 stays on record, the app is not called removed', async () => {
    const r = await diagnose(providerLog('recovered', 6500).path, ...named);
    const own = facts(r, 'apns.response').filter((f) => f.attrs.token === CASE);
    // The four accepted pushes fold into one fact (three before the 410, one after it).
    expect(own.map((f) => [f.value, count(f)])).toEqual([
      ['200', 4],
      ['Unregistered', 1],
    ]);
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
    expect(verdict(r)).toEqual(verdict(await diagnose(providerLog('recovered', 300).path, ...named)));
  });
});

describe('pushes to the case token close together, after the first 5,000 answers', () => {
  it('the shortest gap between its accepted pushes is the one a short log gives (the closest pair is kept)', async () => {
    const r = await diagnose(providerLog('late burst', 6500).path, ...named);
    const short = await diagnose(providerLog('late burst', 300).path, ...named);
    const gap = (x: Json) => facts(x, 'apns.min_push_gap_seconds').map((f) => f.value);
    expect(gap(r)).toEqual([1]);
    expect(gap(r)).toEqual(gap(short));
    expect(verdict(r)).toEqual(verdict(short));
  });
});

describe('a provider log of 1,500 tokens and 21,000 answers', () => {
  const big = providerLog('late 410', 21_000, 1500);

  it('keeps a bounded number of answers, and says how many it set aside', async () => {
    const r = await diagnose(big.path, ...named);
    const kept = [...facts(r, 'apns.response'), ...facts(r, 'apns.response_other_tokens')].reduce((n, f) => n + count(f), 0);
    // 5,000 kept whole; after them a few per token tracked (1,000) and the newest refusal of the rest.
    expect(kept).toBeLessThan(5000 + 3000);
    const problem = r.problems.find((p: Json) => p.code === 'apns.responses_truncated');
    expect(problem.message).toMatch(/holds 21024 APNs answers; the first 5000 were kept whole/);
    expect(problem.message).toMatch(/set aside: 200 ×\d+/);
  });

  it('still judges the case token by its newest answer, past the tokens tracked answer by answer', async () => {
    const r = await diagnose(big.path, ...named);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.token])).toEqual([
      ['200', CASE],
      ['Unregistered', CASE],
    ]);
  });
});
