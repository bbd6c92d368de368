import { describe, expect, it } from 'vitest';
import { collectEvidence, diagnoseEvidence } from '../../src/case/index.js';
import { APNS_REASONS } from '../../src/evidence/apns/reasons.js';
import { cli } from '../cli/helpers.js';

/**
 * Troubleshooting step: "paste what APNs answered". People also paste their
 * conversation about it. A reason named in a sentence (a condition, a
 * denial, a plan, a memory) is not an observation (issue 8 item 8): none of
 * these pastes may confirm, suggest or rule out a cause, or yield an APNs
 * answer at all.
 */

/** How people talk about reasons in a support channel, with {R} for the reason and {S} for its status. */
const TEMPLATES = [
  'if APNs answers {R} then we drop the token',
  'Last year we had {R} issues; not now',
  'I do not think it is {R}',
  'Check for {R} later',
  'could this be {R}?',
  "we've never seen {R} from Apple",
  'FYI: our runbook says {R} means we prune the token',
  'Note: if it were {R} the provider would log it',
  '> maybe {R} again, like in March',
  'if APNs answers {S} {R} then we retry with backoff',
  "We don't get {S} {R} anymore since the fix",
  'is it {S} {R} or something else?',
];

const corpus = TEMPLATES.flatMap((t) => APNS_REASONS.map((r) => ({ reason: r.reason, text: t.replace('{R}', r.reason).replace('{S}', String(r.status)) })));

describe('a reason named in conversation is not an APNs answer', () => {
  it(`the corpus holds ${corpus.length} prose pastes (${TEMPLATES.length} sentence shapes × ${APNS_REASONS.length} reasons)`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(120);
  });

  it.each(corpus)('"$text" confirms, suggests and rules out nothing', async ({ text }) => {
    const evidence = await collectEvidence({ pastes: [{ text, label: 'slack message' }] });
    expect(evidence.facts.filter((f) => /^(?:apns|mdm)\.(?:apns_)?(?:response|tls_error)$|provider_connect_error/.test(f.name))).toEqual([]);
    const { report } = diagnoseEvidence(evidence);
    expect(report.causes.filter((c) => c.status !== 'open').map((c) => `${c.id}: ${c.status}`)).toEqual([]);
  });

  it('the same words in the shapes answers take still count: JSON, status with reason, a log line, a report of what APNs returned', async () => {
    const shapes: [string, string][] = [
      ['{"reason":"ExpiredToken"}', 'ExpiredToken'],
      ['< HTTP/2 410\n{"reason":"ExpiredToken","timestamp":1763632800000}', 'ExpiredToken'],
      ['2026-11-20T10:00:04.000Z WARN apns: push failed: ExpiredToken apns-id=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'ExpiredToken'],
      ['apns: push failed: 410 ExpiredToken', 'ExpiredToken'],
      ['APNs returned 410 ExpiredToken for the token we tried', 'ExpiredToken'],
      ['APNs returned 413 PayloadTooLarge', 'PayloadTooLarge'],
    ];
    for (const [text, reason] of shapes) {
      const evidence = await collectEvidence({ pastes: [{ text, label: 'slack message' }] });
      expect(
        evidence.facts.filter((f) => f.name === 'apns.response').map((f) => f.value),
        text,
      ).toEqual([reason]);
    }
  });

  it('through the CLI: "I do not think it is ExpiredToken" confirms no stale token and says the paste held nothing usable', async () => {
    const { out } = await cli('diagnose', '--paste', 'I do not think it is ExpiredToken', '--format', 'json');
    const report = JSON.parse(out);
    expect(report.causes.filter((c: { status: string }) => c.status === 'confirmed' || c.status === 'likely')).toEqual([]);
    expect(report.problems).toEqual([expect.objectContaining({ input: '--paste', code: 'paste.unrecognised' })]);
  });
});
