import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import {
  cause,
  checkedAppCase,
  diagnose,
  file,
  goLog,
  heldRules,
  questionIds,
  MAGIC,
  mdmPushCert,
  nanoIdle,
  nanoPush,
  sysdiagnose,
  TOKEN,
  TOPIC,
  UDID_A,
  UDID_B,
} from './evidence.js';
import type { Json } from './evidence.js';

/**
 * Troubleshooting step: "every known cause is ruled out: is it one for Apple?" Apple looks into pushes APNs
 * accepted (200) that the device never acted on (seed 000). A push APNs refused carries its own answer (a 403
 * about the certificate, a 413 about the payload, a 500 to retry), even when the log kept its status alone and no
 * cause of the rules covers it: the report says so and offers no draft. NanoMDM's Go log (local time, no zone,
 * one-second stamps) holds two devices; the case's device's own record is zoned. Every value below is made up.
 */

const SERVER = ['--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN, '--now', '2024-05-07T10:00:00Z'];
const CHECKED = [
  ...['--answer', 'q.mdm.network_ok=yes', '--answer', 'q.mdm.push_soon_after_enrollment=no', '--answer', 'q.mdm.server_reachable=yes'],
  ...['--answer', `q.case.device=${UDID_A}`],
];
const evidence = (push: string) => [
  file(
    'nanomdm.log',
    `${[
      push,
      ...nanoPush(goLog, '2024-05-07T08:00:04', UDID_B),
      ...nanoIdle(goLog, '2024-05-07T08:00:05', UDID_B),
      ...nanoIdle(goLog, '2024-05-07T09:00:05', UDID_B),
    ].join('\n')}\n`,
  ),
  sysdiagnose({ taken: '2024.05.07_09-02-00+0000', lastPollingSuccess: '2024-05-05T06:40:11Z' }),
  mdmPushCert('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
  ...SERVER,
  ...CHECKED,
];
const refused = (status: string) => goLog('2024-05-07T08:00:03', `level=info service=push msg=push id=${UDID_A} err="push HTTP status: ${status}"`);

describe('an MDM push APNs refused, its reason cut off, every other cause ruled out', () => {
  const fix: Record<string, RegExp> = {
    '403': /MDM push certificate/,
    '413': /only the device's PushMagic|<PushMagic>/,
    '400': /token|topic/,
    '405': /POST to \/3\/device/,
  };
  for (const status of ['403', '413', '400', '405']) {
    it(`${status}: the refusal is the cause found, with what to fix; not one for Apple`, async () => {
      const r = await diagnose(...evidence(refused(status)));
      expect(cause(r, 'mdm.push_refused')?.status).toBe('confirmed');
      expect(r.causes.filter((c: Json) => c.status !== 'ruled_out').map((c: Json) => c.id)).toEqual(['mdm.push_refused']);
      expect(r.escalation).toBeNull();
      expect(r.headline).not.toMatch(/this is one for Apple/);
      expect(r.headline).toMatch(/^Found: APNs refused the MDM server's push/);
      expect(JSON.stringify(cause(r, 'mdm.push_refused'))).toMatch(fix[status]!);
    });
  }

  it('`pushcheck feedback` prints no draft', async () => {
    const out = await cli('feedback', ...evidence(refused('403')));
    expect(out.code).toBe(0);
    expect(out.out).toBe('');
  });
});

describe('the same push accepted (200) and never answered', () => {
  it('is one for Apple, as before', async () => {
    const r = await diagnose(...evidence(nanoPush(goLog, '2024-05-07T08:00:03', UDID_A)[0]!), '--answer', 'q.mdm.push_status=200');
    expect(r.filing.status).toBe('ready');
  });
});

/**
 * APNs's own 500 or 503 is a passing error: retried first, and one for Apple only when every push fails that way
 * for hours (shared/knowledge/apns-mdm.md, section b).
 */
describe('an app push APNs answered with its own passing error, every other cause checked', () => {
  const failed = (...lines: [time: string, status: string][]) =>
    file('push-worker.log', `${lines.map(([t, s]) => `${t} WARN apns: push failed token=${TOKEN} apns-topic=com.example.demo status=${s}`).join('\n')}\n`);

  it('one 500: send it again, no draft yet', async () => {
    const r = await diagnose(failed(['2026-11-20T10:01:00Z', '500']), ...checkedAppCase());
    expect(r.filing.status).toBe('push_transient');
    expect(r.escalation).toBeNull();
    expect(r.headline).toContain('send it again');
  });

  it('500s and 503s for a quarter of an hour: still retried first', async () => {
    const r = await diagnose(failed(['2026-11-20T10:01:00Z', '500'], ['2026-11-20T10:08:00Z', '503'], ['2026-11-20T10:16:00Z', '500']), ...checkedAppCase());
    expect(r.filing.status).toBe('push_transient');
  });

  it('every push failing this way for two hours: one for Apple', async () => {
    const r = await diagnose(failed(['2026-11-20T10:01:00Z', '500'], ['2026-11-20T11:01:00Z', '503'], ['2026-11-20T12:01:00Z', '500']), ...checkedAppCase());
    expect(r.filing.status).toBe('ready');
  });
});

/**
 * Troubleshooting step: "did APNs refuse this device's push?" Only the case's device's pushes count: NanoMDM's log
 * holds two iPhones, and a 403 for one says nothing of the other's pushes that APNs took (200).
 */
describe("APNs refusing the MDM server's push: the case's device's pushes only", () => {
  const log = (lines: string[]) => file('nanomdm.log', `${lines.join('\n')}\n`);
  const twoDevices = log([
    goLog('2024-05-07T08:00:03', `level=info service=push msg=push id=${UDID_B} err="push HTTP status: 403: APNs push error: BadCertificate"`),
    ...nanoPush(goLog, '2024-05-07T08:00:04', UDID_A),
  ]);

  it('the refused device: confirmed, its certificate named', async () => {
    const r = await diagnose(twoDevices, '--answer', `q.case.device=${UDID_B}`);
    expect(cause(r, 'mdm.push_refused')?.status).toBe('confirmed');
    expect(heldRules(cause(r, 'mdm.push_refused'))).toEqual(['mdm.push_refused.certificate']);
  });

  it('the other device, whose push APNs took (200): ruled out', async () => {
    const r = await diagnose(twoDevices, '--answer', `q.case.device=${UDID_A}`, '--answer', 'q.mdm.push_status=200');
    expect(cause(r, 'mdm.push_refused')?.status).toBe('ruled_out');
  });

  it('no device named: open, and the case asks which device', async () => {
    const r = await diagnose(twoDevices);
    expect(cause(r, 'mdm.push_refused')?.status).toBe('open');
    expect(questionIds(r)).toContain('q.case.device');
  });

  it("a refusal whose reason is another cause's evidence (BadDeviceToken) makes that cause fire instead", async () => {
    const r = await diagnose(
      log([goLog('2024-05-07T08:00:03', `level=info service=push msg=push id=${UDID_A} err="push HTTP status: 400: APNs push error: BadDeviceToken"`)]),
      '--answer',
      `q.case.device=${UDID_A}`,
    );
    expect(cause(r, 'mdm.push_refused')?.status).toBe('open');
    expect(cause(r, 'mdm.wrong_token')?.status).toBe('likely');
  });
});

describe('a refusal superseded', () => {
  const log = (lines: string[]) => file('nanomdm.log', `${lines.join('\n')}\n`);

  it('a 403 for the device, then a later push to it that APNs took: the refusal is history', async () => {
    const r = await diagnose(
      log([
        goLog('2024-05-07T08:00:03', `level=info service=push msg=push id=${UDID_A} err="push HTTP status: 403"`),
        ...nanoPush(goLog, '2024-05-07T09:00:03', UDID_A),
        ...nanoIdle(goLog, '2024-05-07T09:30:05', UDID_B),
      ]),
      '--answer',
      `q.case.device=${UDID_A}`,
    );
    expect(cause(r, 'mdm.push_refused')?.status).toBe('ruled_out');
  });
});
