import { describe, expect, it } from 'vitest';
import { pem, pushCertificate } from '../apns/certs.js';
import { appPushCertificate, cause, diagnose, file, sysdiagnose, TOKEN, TOPIC, UDID_A } from './evidence.js';

/**
 * Troubleshooting step: "is the push certificate the server uses now still refused?" A server that logged
 * APNs refusing its certificate as expired, and later pushes APNs accepted (the certificate was renewed and
 * loaded), no longer has an expired certificate: the refusal is history. A refusal after the last accepted
 * push is not.
 */

const mdmLog = (lines: string[]) => file('micromdm.log', `${lines.join('\n')}\n`);
const mdmRefused = (t: string) =>
  `level=info ts=${t}Z caller=push.go:80 component=apns method=Push udid=${UDID_A} err="Post https://api.push.apple.com/3/device/${TOKEN}: remote error: tls: expired certificate" took=83.2ms`;
const mdmAccepted = (t: string) =>
  `level=info ts=${t}Z caller=push.go:80 component=apns method=Push udid=${UDID_A} id=5F2A8B3C-0D4E-4F6A-9B7C-8D9E0F1A2B3C err=null took=183.2ms`;

const providerLog = (lines: string[]) => file('provider.log', `${lines.join('\n')}\n`);
const appRefused = (t: string) => `${t}Z ERROR apns: Post "https://api.push.apple.com/3/device/${TOKEN}": remote error: tls: expired certificate`;
const appAccepted = (t: string) =>
  `${t}Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${TOKEN} apns-topic=com.example.demo apns-push-type=alert status=200`;

describe('an MDM server whose certificate APNs refused as expired, renewed since', () => {
  it('pushes accepted after the refusal: the expired certificate is history, not confirmed', async () => {
    const r = await diagnose(mdmLog([mdmRefused('2024-05-07T08:00:03.118'), mdmAccepted('2024-05-07T09:00:03.118')]));
    expect(cause(r, 'mdm.certificate_expired')?.status).toBe('ruled_out');
  });

  it('refused after the last accepted push: still confirmed', async () => {
    const r = await diagnose(mdmLog([mdmAccepted('2024-05-07T08:00:03.118'), mdmRefused('2024-05-07T09:00:03.118')]));
    expect(cause(r, 'mdm.certificate_expired')?.status).toBe('confirmed');
  });
});

describe('an app provider whose certificate APNs refused as expired, renewed since', () => {
  it('a push accepted after the refusal: the expired certificate is history, not confirmed', async () => {
    const r = await diagnose(providerLog([appRefused('2024-05-07T08:00:03.120'), appAccepted('2024-05-07T09:00:01.004')]));
    expect(cause(r, 'apns.certificate_expired')?.status).toBe('ruled_out');
  });

  it('refused after the last accepted push: still confirmed', async () => {
    const r = await diagnose(providerLog([appAccepted('2024-05-07T08:00:01.004'), appRefused('2024-05-07T09:00:03.120')]));
    expect(cause(r, 'apns.certificate_expired')?.status).toBe('confirmed');
  });
});

describe('the old, expired MDM push certificate attached beside the one the server uses now', () => {
  const cert = (uid: string, notBefore: string, notAfter: string) =>
    file('push.pem', pem(pushCertificate({ uid, cn: `APSP:${uid.slice(-36)}`, notBefore, notAfter })));
  const OLD = () => cert(TOPIC, '2023-04-30T10:00:00Z', '2024-04-30T10:00:00Z');
  const NEW_TOPIC = 'com.apple.mgmt.External.11111111-2222-4333-8444-555555555555';
  const accepted = () => mdmLog([mdmAccepted('2024-05-07T08:00:03.118')]);
  const bundle = () => sysdiagnose({ taken: '2024.05.07_09-02-00+0000', lastPollingSuccess: '2024-05-07T07:40:11Z' });
  const NOW = ['--now', '2024-05-07T10:00:00Z', '--answer', `q.case.device=${UDID_A}`];

  it('renewed (same topic), APNs accepting pushes after the old one expired: not an expired certificate', async () => {
    const r = await diagnose(bundle(), accepted(), OLD(), cert(TOPIC, '2024-04-29T10:00:00Z', '2025-04-29T10:00:00Z'), ...NOW);
    expect(cause(r, 'mdm.certificate_expired')?.status).toBe('ruled_out');
  });

  it('replaced with a new topic (Create, not Renew): the new topic is what the server pushes on, so the wrong topic is confirmed', async () => {
    const r = await diagnose(bundle(), accepted(), OLD(), cert(NEW_TOPIC, '2024-04-29T10:00:00Z', '2025-04-29T10:00:00Z'), ...NOW);
    expect(cause(r, 'mdm.certificate_expired')?.status).toBe('ruled_out');
    expect(cause(r, 'mdm.wrong_topic')?.status).toBe('confirmed');
  });

  it('the expired certificate alone, with no push accepted after it expired: still confirmed', async () => {
    const r = await diagnose(bundle(), mdmLog([mdmAccepted('2024-04-29T08:00:03.118')]), OLD(), ...NOW);
    expect(cause(r, 'mdm.certificate_expired')?.status).toBe('confirmed');
  });
});

describe("an app's expired push certificate attached, while APNs accepts the provider's pushes for that app", () => {
  const appCert = (notAfter: string) => appPushCertificate('2023-04-30T10:00:00Z', notAfter);
  const NOW = ['--now', '2024-05-07T10:00:00Z'];

  it('accepted after the certificate expired: the provider signs with something else, not confirmed expired', async () => {
    const r = await diagnose(providerLog([appAccepted('2024-05-07T08:00:01.004')]), appCert('2024-04-30T10:00:00Z'), ...NOW);
    expect(cause(r, 'apns.certificate_expired')?.status).not.toBe('confirmed');
  });

  it('a push for another app accepted says nothing of this certificate: still confirmed', async () => {
    const other = `2024-05-07T08:00:01.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${TOKEN} apns-topic=com.example.other apns-push-type=alert status=200`;
    const r = await diagnose(providerLog([other]), appCert('2024-04-30T10:00:00Z'), ...NOW);
    expect(cause(r, 'apns.certificate_expired')?.status).toBe('confirmed');
  });
});

describe('an MDM server with a push certificate per topic', () => {
  it("one topic's certificate expired while the log shows pushes accepted on another topic only: still confirmed", async () => {
    const OTHER = 'com.apple.mgmt.External.11111111-2222-4333-8444-555555555555';
    const nano = file(
      'nanomdm.log',
      `${[
        `ts=2024-05-07T08:00:00Z level=info handler=log addr=127.0.0.1 method=GET path=/v1/push/${UDID_A} agent=curl/8.4.0`,
        `ts=2024-05-07T08:00:00Z level=info service=push msg=retrieved push cert topic=${OTHER}`,
        'ts=2024-05-07T08:00:00Z level=debug handler=push msg=push count=1 errs=0',
      ].join('\n')}\n`,
    );
    const expired = file(
      'push.pem',
      pem(pushCertificate({ uid: TOPIC, cn: `APSP:${TOPIC.slice(-36)}`, notBefore: '2023-04-30T10:00:00Z', notAfter: '2024-04-30T10:00:00Z' })),
    );
    const r = await diagnose(nano, expired, '--now', '2024-05-07T10:00:00Z');
    expect(cause(r, 'mdm.certificate_expired')?.status).toBe('confirmed');
  });
});
