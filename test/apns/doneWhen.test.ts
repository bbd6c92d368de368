// Issue 3's "done when" for app push, end to end through the real readers
// and the shipped rules: a provisioning profile without aps-environment, and
// a pasted BadDeviceToken against the production endpoint.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/engine/answers.js';
import { diagnose } from '../../src/engine/diagnose.js';
import { readPaste } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS, type ReadResult } from '../../src/evidence/types.js';
import type { Fact } from '../../src/facts/schema.js';
import { checkExpiredPushProfile, checkMissingEntitlement } from './profileChecks.js';
import { shipped } from '../support/rules.js';

const ctx = { limits: DEFAULT_LIMITS };
const rules = shipped();
const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/apns/${f}`, import.meta.url));

function diagnoseRead(r: ReadResult, extra: Fact[] = [], answers: Answer[] = []) {
  return diagnose({ facts: [...r.facts, ...extra], problems: r.problems, answers }, rules);
}
const status = (d: ReturnType<typeof diagnose>, id: string) => d.causes.find((c) => c.cause.id === id)?.status;

describe('a provisioning profile without aps-environment', () => {
  for (const name of ['enterprise_no_aps.mobileprovision', 'dev_no_aps.mobileprovision']) {
    it(`${name}: the missing entitlement is confirmed, with the profile as evidence, and no MDM cause is listed`, async () => {
      await checkMissingEntitlement(fixture(name));
    });
  }

  it('the 2017 enterprise profile with aps-environment production: push-capable, but expired', async () => {
    await checkExpiredPushProfile(fixture('enterprise_aps_production.mobileprovision'));
  });
});

describe('a pasted {"reason":"BadDeviceToken"} against the production endpoint', () => {
  const paste = `curl -v --http2 -H "apns-topic: com.example.demo" https://api.push.apple.com/3/device/0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0
< HTTP/2 400
{"reason":"BadDeviceToken"}`;

  it('is a likely environment mismatch, and the question that settles it comes first', async () => {
    const d = diagnoseRead(await readPaste(paste, 'pasted text', ctx));
    expect(d.domains).toEqual(['apns']);
    expect(status(d, 'apns.environment_mismatch')).toBe('likely');
    expect(d.questions[0].question.id).toBe('q.apns.token_environment');
    expect(d.questions[0].settles).toEqual(expect.arrayContaining(['apns.environment_mismatch', 'apns.stale_token']));
    expect(d.causes.filter((c) => c.cause.domain !== 'apns')).toEqual([]);
  });

  it('answered "a development build": the mismatch is confirmed, with the pasted answer and host as evidence', async () => {
    const d = diagnoseRead(await readPaste(paste, 'pasted text', ctx), [], [{ question: 'q.apns.token_environment', value: 'development' }]);
    expect(status(d, 'apns.environment_mismatch')).toBe('confirmed');
    const rule = d.causes.find((c) => c.cause.id === 'apns.environment_mismatch')!.decided[0];
    expect(rule.rule.id).toBe('apns.environment_mismatch.token_vs_host');
    expect(rule.evidence.map((f) => f.name).sort()).toEqual(['apns.app_environment', 'apns.provider_environment']);
    // The wrong-topic, TLS and app-removed explanations do not fit a 400 BadDeviceToken answer.
    expect(status(d, 'apns.tls_trust')).toBe('ruled_out');
  });

  it('answered "production": the mismatch is ruled out and a stale token becomes the likely cause', async () => {
    const d = diagnoseRead(await readPaste(paste, 'pasted text', ctx), [], [{ question: 'q.apns.token_environment', value: 'production' }]);
    expect(status(d, 'apns.environment_mismatch')).toBe('ruled_out');
    expect(status(d, 'apns.stale_token')).toBe('likely');
  });
});

describe("the app's registration error, pasted as the app logged it", () => {
  it("no valid 'aps-environment' entitlement string found: the missing entitlement is confirmed", async () => {
    const r = await readPaste(
      `Error Domain=NSCocoaErrorDomain Code=3000 "no valid 'aps-environment' entitlement string found for application" UserInfo={NSLocalizedDescription=no valid 'aps-environment' entitlement string found for application}`,
      'pasted text',
      ctx,
    );
    const d = diagnoseRead(r);
    expect(status(d, 'apns.missing_entitlement')).toBe('confirmed');
    expect(d.causes.find((c) => c.cause.id === 'apns.missing_entitlement')!.decided[0].rule.id).toBe('apns.missing_entitlement.registration_error');
  });
});
