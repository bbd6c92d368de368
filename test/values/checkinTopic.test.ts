import { describe, expect, it } from 'vitest';
import { pem, pushCertificate } from '../apns/certs.js';
import { device, heldRules, run, server, statusOf as ruleStatus } from '../rules/helpers.js';
import { checkin, diagnoseJson, factsNamed, statusOf, workdir } from './helpers.js';

/**
 * Troubleshooting step (seed 000, wrong push topic): "the push topic is part
 * of the push cert the MDM server uses; a cert replaced without renewing gets
 * a new topic, which cannot reach devices enrolled with the old one". The
 * Topic a device sent in its check-in is the one it enrolled with; only the
 * push certificate, a server log line about the topic it pushes on, or the
 * user's word for the server's topic is the push topic (issue 8 item 4).
 */

const OLD = 'com.apple.mgmt.External.09eb97d0-5c1e-4a8a-9f43-6e2d1b0c7a55';
const NEW = 'com.apple.mgmt.External.21225bc6-7d0e-4c3b-8a19-5f6e4d3c2b1a';
const UDID = '00008110-000A1C2E3F40801E';
const MAGIC = '5A1C0E2B-77D4-4F1A-9C3E-0D8B61F2A4C7';
const TOKEN = Buffer.from('7d3c1f0a9e8b2c4d6f1a3b5c7e9d0f2a4b6c8e0d1f3a5b7c9e0f2d4a6b8c0e1f', 'hex');
const file = workdir('pushcheck-checkin-topic-');

const tokenUpdate = (topic: string) =>
  file(`TokenUpdate-${topic.slice(-4)}.plist`, checkin({ MessageType: 'TokenUpdate', Topic: topic, UDID, PushMagic: MAGIC }, { Token: TOKEN }));
const mdmCertificate = (topic: string) =>
  file(
    `mdm-push-${topic.slice(-4)}.pem`,
    pem(
      pushCertificate({
        uid: topic,
        cn: `APSP:${topic.slice('com.apple.mgmt.External.'.length)}`,
        notBefore: '2025-11-01T00:00:00Z',
        notAfter: '2026-11-01T00:00:00Z',
      }),
    ),
  );

describe("the certificate-replaced case: the check-in's topic against the push certificate's", () => {
  it('a TokenUpdate on the old topic and a push certificate for a new one: wrong topic confirmed, renew the old certificate', async () => {
    const report = await diagnoseJson(tokenUpdate(OLD), mdmCertificate(NEW), '--now', '2026-05-01T00:00:00Z');
    expect(factsNamed(report, 'server.enrolled_topic').map((f) => f.value)).toEqual([OLD]);
    expect(factsNamed(report, 'server.topic')).toEqual([]);
    const cause = report.causes.find((c) => c.id === 'mdm.wrong_topic')!;
    expect(cause.status).toBe('confirmed');
    expect(cause.because.join(' ')).toContain(`The MDM push certificate is for ${NEW}, but the device enrolled with ${OLD}`);
    expect(cause.nextSteps.join(' ')).toMatch(/renew it at Apple's Push Certificates Portal with the Apple ID that created it/);
    // The check-in's PushMagic and token stay what the server pushes with.
    expect(factsNamed(report, 'server.push_magic').map((f) => f.value)).toEqual([MAGIC]);
    expect(factsNamed(report, 'server.push_token').map((f) => f.value)).toEqual([TOKEN.toString('hex')]);
  });

  it('the certificate renewed (same topic): the topic is ruled out', async () => {
    const report = await diagnoseJson(tokenUpdate(OLD), mdmCertificate(OLD), '--now', '2026-05-01T00:00:00Z');
    expect(statusOf(report, 'mdm.wrong_topic')).toBe('ruled_out');
  });

  it("the server's log says which certificate topic it pushes with: that is the push topic", async () => {
    const log = file('nanomdm.log', `2026/04/30 08:00:00 level=info service=push msg=retrieved push cert topic=${NEW}\n`);
    const report = await diagnoseJson(tokenUpdate(OLD), log);
    expect(factsNamed(report, 'server.topic').map((f) => f.value)).toEqual([NEW]);
    expect(report.causes.find((c) => c.id === 'mdm.wrong_topic')!.because.join(' ')).toContain(
      `The server pushes on ${NEW}, but the device enrolled with ${OLD}`,
    );
  });

  it('a check-in alone does not say what the server pushes on: the topic stays open and is asked for', async () => {
    const report = await diagnoseJson(tokenUpdate(OLD));
    expect(statusOf(report, 'mdm.wrong_topic')).toBe('open');
    expect(report.questions.map((q) => q.id)).toContain('q.mdm.server_topic');
  });

  it("the user's word for the server's topic is the push topic", async () => {
    const same = await diagnoseJson(tokenUpdate(OLD), '--topic', OLD);
    expect(statusOf(same, 'mdm.wrong_topic')).toBe('ruled_out');
    const other = await diagnoseJson(tokenUpdate(OLD), '--paste', `server topic: ${NEW}`);
    expect(statusOf(other, 'mdm.wrong_topic')).toBe('confirmed');
  });
});

describe('the rules that read the enrolled topic, each made to hold and not to hold', () => {
  const enrolled = (topic: string) => ({ name: 'server.enrolled_topic', value: topic, source: { kind: 'file' as const, input: 'TokenUpdate.plist', line: 8 } });

  it('mdm.wrong_topic.enrolled_differs holds when the push topic differs from the enrolled one, not when they agree', () => {
    expect(heldRules(run([enrolled(OLD), server('server.topic', NEW)]), 'mdm.wrong_topic')).toContain('mdm.wrong_topic.enrolled_differs');
    expect(heldRules(run([enrolled(OLD), server('server.topic', OLD)]), 'mdm.wrong_topic')).not.toContain('mdm.wrong_topic.enrolled_differs');
  });

  it('mdm.wrong_topic.enrolled_matches rules the topic out when they agree, and not when the device profile shows yet another topic', () => {
    expect(ruleStatus(run([enrolled(OLD), server('server.topic', OLD)]), 'mdm.wrong_topic')).toBe('ruled_out');
    const d = run([enrolled(OLD), server('server.topic', OLD), device('device.topic', NEW)]);
    expect(heldRules(d, 'mdm.wrong_topic')).not.toContain('mdm.wrong_topic.enrolled_matches');
    expect(ruleStatus(d, 'mdm.wrong_topic')).toBe('confirmed');
  });
});
