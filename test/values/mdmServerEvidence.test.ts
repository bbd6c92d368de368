import { describe, expect, it } from 'vitest';
import { collectEvidence, diagnoseEvidence } from '../../src/case/index.js';
import { heldRules, run, server } from '../rules/helpers.js';
import { diagnoseJson, factsNamed, statusOf, workdir } from './helpers.js';

/**
 * Troubleshooting step: read the MDM server's push log. What an MDM server
 * logs about its pushes is MDM evidence and leads to MDM causes, never to
 * app-push ones (issue 8 item 5).
 */

const UDID = '00008110-000A1C2E3F40801E';
const OTHER = '00008030-001A2D3C0E88802E';
const file = workdir('pushcheck-mdm-server-');

const ids = (r: { causes: { id: string; status: string }[] }, status: string) => r.causes.filter((c) => c.status === status).map((c) => c.id);
const everything = (r: object) => JSON.stringify(r);

describe('an APNs 410 to an MDM push points at the MDM causes, never at a removed app', () => {
  // NanoMDM with its default Go log prefix: one-second stamps in the server's local time.
  const nanomdm = [
    `2026/05/04 09:14:07 level=info service=nanomdm msg=push count=1 id=${UDID}`,
    `2026/05/04 09:14:07 level=info handler=push msg=push errs=1 id_count=1 id_first=${UDID} err="push HTTP status: 410: APNs push error: Unregistered: timestamp 1777885200000"`,
  ].join('\n');

  it('NanoMDM: left MDM, erased or restored are likely, and whether the profile is still installed is asked', async () => {
    const report = await diagnoseJson(file('nanomdm.log', `${nanomdm}\n`));
    expect(report.domains).toEqual(['mdm']);
    expect(ids(report, 'likely')).toEqual(['mdm.unenrolled', 'mdm.wiped', 'mdm.wrong_token']);
    expect(report.questions[0].id).toBe('q.mdm.enrolled');
    expect(everything(report)).not.toMatch(/apns\.app_removed|app was (?:removed|deleted)/);
    // The Go log stamp has no zone: it is kept, and said to be zone-less.
    expect(factsNamed(report, 'mdm.apns_response')[0]).toMatchObject({
      value: 'Unregistered',
      at: '2026-05-04T09:14:07.000Z',
      attrs: { zone: 'unknown', status: '410' },
    });
  });

  it('answered "the profile is still installed": leaving MDM and an erase are ruled out; a restored backup (new token) stays likely', async () => {
    const report = await diagnoseJson(file('nanomdm-answered.log', `${nanomdm}\n`), '--answer', 'q.mdm.enrolled=yes');
    expect(statusOf(report, 'mdm.unenrolled')).toBe('ruled_out');
    expect(statusOf(report, 'mdm.wiped')).toBe('ruled_out');
    expect(statusOf(report, 'mdm.wrong_token')).toBe('likely');
  });

  it('MicroMDM: buford\'s "device token is inactive" and a BadDeviceToken are the same MDM answers', async () => {
    const micromdm = [
      `level=info ts=2026-05-04T09:14:07.52Z component=apns method=Push udid=${UDID} err="device token is inactive for the specified topic"`,
      `level=info ts=2026-05-04T09:20:11.03Z component=apns method=Push udid=${OTHER} err="400 BadDeviceToken"`,
    ].join('\n');
    const report = await diagnoseJson(file('micromdm.log', `${micromdm}\n`));
    expect(factsNamed(report, 'mdm.apns_response').map((f) => f.value)).toEqual(['Unregistered', 'BadDeviceToken']);
    expect(factsNamed(report, 'apns.response')).toEqual([]);
    expect(report.domains).toEqual(['mdm']);
    expect(ids(report, 'likely')).toEqual(['mdm.unenrolled', 'mdm.wiped', 'mdm.wrong_token']);
  });

  it('the three rules hold on a dead MDM token and not on an accepted push', () => {
    const dead = run([server('mdm.apns_response', 'Unregistered', { attrs: { status: '410' } })]);
    const fine = run([server('mdm.apns_response', '200', { attrs: { status: '200' } })]);
    for (const [cause, rule] of [
      ['mdm.unenrolled', 'mdm.unenrolled.apns_token_dead'],
      ['mdm.wiped', 'mdm.wiped.apns_token_dead'],
      ['mdm.wrong_token', 'mdm.wrong_token.apns_token_dead'],
    ]) {
      expect(heldRules(dead, cause)).toContain(rule);
      expect(heldRules(fine, cause)).not.toContain(rule);
    }
  });
});

describe('MicroMDM "retrieving PushInfo by UDID: not found": the server never stored a TokenUpdate', () => {
  const line = `level=info ts=2026-05-04T09:14:07.52Z component=apns method=Push udid=${UDID} err="retrieving PushInfo by UDID: not found: PushInfo udid ${UDID} not found"`;

  it('is a cause of its own, confirmed, and not an APNs answer', async () => {
    const report = await diagnoseJson(file('micromdm-pushinfo.log', `${line}\n`));
    expect(report.domains).toEqual(['mdm']);
    expect(statusOf(report, 'mdm.no_push_info')).toBe('confirmed');
    const cause = report.causes.find((c) => c.id === 'mdm.no_push_info')!;
    expect(cause.nextSteps.join(' ')).toMatch(/TokenUpdate from this device/);
    expect(factsNamed(report, 'server.push_info_missing')[0]).toMatchObject({ at: '2026-05-04T09:14:07.520Z', attrs: { udid: UDID } });
    expect([...factsNamed(report, 'mdm.apns_response'), ...factsNamed(report, 'apns.response'), ...factsNamed(report, 'server.push_status')]).toEqual([]);
  });

  it('NanoMDM\'s push API answering 500 with "push data missing for id" is the server speaking, not APNs', async () => {
    const curl = [
      `> PUT /v1/push/${UDID} HTTP/1.1`,
      '> Host: mdm.example.net:9000',
      '> Authorization: Basic bmFub21kbTpub3BlCg==',
      '< HTTP/1.1 500 Internal Server Error',
      '< Content-Type: application/json',
      '<',
      `{"status":{"${UDID}":{"push_error":"push data missing for id"}},"push_error":"push data missing for id"}`,
    ].join('\n');
    const evidence = await collectEvidence({ pastes: [{ text: curl, label: 'slack message' }] });
    expect(evidence.facts.filter((f) => /response|push_status/.test(f.name))).toEqual([]);
    expect(evidence.facts.filter((f) => f.name === 'server.push_info_missing')).toHaveLength(1);
    expect(diagnoseEvidence(evidence).report.causes.find((c) => c.id === 'mdm.no_push_info')?.status).toBe('confirmed');
  });

  it("a 500 from the MDM server's own push endpoint, said in words or as its HTTP/2 status, is no APNs answer", async () => {
    for (const text of ['our push endpoint returned 500 when we pushed to the iPad', `> POST /v1/push/${UDID} HTTP/2\n< HTTP/2 500`]) {
      const evidence = await collectEvidence({ pastes: [{ text, label: 'slack message' }] });
      expect(
        evidence.facts.filter((f) => /response/.test(f.name)),
        text,
      ).toEqual([]);
    }
  });

  it('a stored TokenUpdate (or an APNs answer to the push) rules it out; the confirming rule does not hold without the line', () => {
    const stored = run([server('mdm.checkin.token_update', true, { attrs: { udid: UDID } })], [{ question: 'q.case.domain', value: 'mdm' }]);
    expect(stored.causes.find((c) => c.cause.id === 'mdm.no_push_info')?.status).toBe('ruled_out');
    expect(heldRules(stored, 'mdm.no_push_info')).not.toContain('mdm.no_push_info.server_says');
  });
});

describe('APNs refusing the topic of an MDM push points at the MDM push certificate and topic', () => {
  it('MicroMDM "the Topic header … was not specified" (MissingTopic) and nanopush TopicDisallowed suggest the wrong topic, in the MDM domain only', async () => {
    const log = [
      `level=info ts=2026-05-04T09:14:07.52Z component=apns method=Push udid=${UDID} err="the Topic header of the request was not specified and was required"`,
      `2026/05/04 09:15:00 level=info handler=push msg=push errs=1 id_first=${OTHER} err="push HTTP status: 400: APNs push error: TopicDisallowed"`,
    ].join('\n');
    const report = await diagnoseJson(file('mdm-topic.log', `${log}\n`));
    expect(report.domains).toEqual(['mdm']);
    expect(factsNamed(report, 'mdm.apns_response').map((f) => f.value)).toEqual(['MissingTopic', 'TopicDisallowed']);
    const cause = report.causes.find((c) => c.id === 'mdm.wrong_topic')!;
    expect(cause.status).toBe('likely');
    expect(cause.nextSteps.join(' ')).toMatch(/MDM push certificate .*subject UID/);
    expect(everything(report)).not.toMatch(/apns\.wrong_topic/);
  });

  it('DeviceTokenNotForTopic to an MDM push suggests a replaced certificate', () => {
    const d = run([server('mdm.apns_response', 'DeviceTokenNotForTopic', { attrs: { status: '400' } })]);
    expect(heldRules(d, 'mdm.wrong_topic')).toEqual(['mdm.wrong_topic.apns_token_not_for_topic']);
    expect(heldRules(run([server('mdm.apns_response', 'TopicDisallowed')]), 'mdm.wrong_topic')).toEqual(['mdm.wrong_topic.apns_topic_refused']);
    expect(heldRules(run([server('mdm.apns_response', 'TopicDisallowed')]), 'mdm.wrong_topic')).not.toContain('mdm.wrong_topic.apns_token_not_for_topic');
    expect(heldRules(d, 'mdm.wrong_topic')).not.toContain('mdm.wrong_topic.apns_topic_refused');
  });
});

describe('an expired or revoked MDM push certificate is renewed at the Push Certificates Portal, same Apple ID', () => {
  it.each([
    ['expired', 'remote error: tls: expired certificate', 'confirmed'],
    ['revoked', 'remote error: tls: revoked certificate', 'likely'],
  ])('%s: the next steps name the portal and the Apple ID, never the developer portal or a .p8 key', async (_what, tls, status) => {
    const line = `level=info ts=2026-05-04T09:14:07.52Z component=apns method=Push udid=${UDID} err="Post https://api.push.apple.com/3/device/7d3c1f0a: ${tls}"`;
    const report = await diagnoseJson(file(`micromdm-${_what}.log`, `${line}\n`));
    expect(report.domains).toEqual(['mdm']);
    const cause = report.causes.find((c) => c.id === 'mdm.certificate_expired')!;
    expect(cause.status).toBe(status);
    expect(cause.nextSteps.join(' ')).toMatch(/Apple's Push Certificates Portal with the Apple ID that created/);
    expect(everything(report)).not.toMatch(/developer portal|\.p8/i);
  });
});

describe("an MDM server that cannot connect to APNs is the server's network, not an app provider's firewall", () => {
  it('MicroMDM timing out on api.push.apple.com: mdm.server_network confirmed, the app-push domain stays shut', async () => {
    const line = `level=info ts=2026-05-04T09:14:07.52Z component=apns method=Push udid=${UDID} err="Post https://api.push.apple.com/3/device/7d3c1f0a: dial tcp 17.188.143.34:443: i/o timeout"`;
    const report = await diagnoseJson(file('micromdm-timeout.log', `${line}\n`));
    expect(report.domains).toEqual(['mdm']);
    expect(statusOf(report, 'mdm.server_network')).toBe('confirmed');
    expect(factsNamed(report, 'mdm.apns_connect_error').map((f) => f.value)).toEqual(['timeout']);
    expect(everything(report)).not.toMatch(/apns\.firewall|provider_connect_error/);
  });

  it('APNs answering the server rules it out, and the confirming rule does not hold then', () => {
    const d = run([server('mdm.apns_response', '200', { attrs: { status: '200' } })]);
    expect(d.causes.find((c) => c.cause.id === 'mdm.server_network')?.status).toBe('ruled_out');
    expect(heldRules(d, 'mdm.server_network')).toEqual(['mdm.server_network.apns_reached']);
  });
});

describe('q.case.domain=mdm really restricts the report to MDM', () => {
  const paste = [
    'server: topic=com.apple.mgmt.External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d magic=0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03',
    'curl -v https://api.push.apple.com/3/device/0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0 -H "apns-topic: com.example.app"',
    '< HTTP/2 400',
    '{"reason":"BadDeviceToken"}',
  ].join('\n');

  it('without the answer both MDM and app push are looked at; with it, only MDM causes, notes and questions', async () => {
    const both = await diagnoseJson('--paste', paste);
    expect(both.domains).toEqual(['mdm', 'apns']);
    const mdm = await diagnoseJson('--paste', paste, '--answer', 'q.case.domain=mdm');
    expect(mdm.domains).toEqual(['mdm']);
    expect(mdm.causes.every((c) => c.domain === 'mdm')).toBe(true);
    expect(mdm.questions.some((q) => q.id.startsWith('q.apns.'))).toBe(false);
  });
});

describe('an apsd line about an MDM topic is MDM evidence', () => {
  it('"Received message for enabled topic com.apple.mgmt.…" does not open the app-push domain', async () => {
    const log = file(
      'device.log',
      "2026-05-04 09:14:08.120455+0200 0x3f1a2    Default     0x0                  101    0    apsd: [com.apple.apsd:courier] Received message for enabled topic 'com.apple.mgmt.External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d' onInterface: NonCellular with payload '<private>' with priority 10 for device token: NO\n",
    );
    const report = await diagnoseJson(log);
    expect(report.domains).toEqual(['mdm']);
    expect(report.causes.some((c) => c.domain === 'apns')).toBe(false);
  });
});
