import { describe, expect, it } from 'vitest';
import {
  cause,
  diagnose,
  file,
  goLog,
  jamf,
  jamfSending,
  nanoIdle,
  nanoLib,
  nanoPush,
  nanoTokenUpdate,
  questionIds,
  TOKEN,
  UDID_A,
  UDID_B,
} from './evidence.js';

/**
 * Troubleshooting step: "is this the device's own problem?" A server or provider log holds several devices. What
 * it shows of device B (its stored TokenUpdate, its answers to commands, its last check-in, APNs accepting its
 * push) rules a device cause out for B alone: not for device A, and not for a case that has not yet said which
 * device it is about (the case asks). Each row builds a two-device log in which only B shows the evidence that
 * rules the cause out.
 */

const OTHER_TOKEN = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';
type Stamp = (t: string, rest: string) => string;
const lines = (...ls: string[][]) => `${ls.flat().join('\n')}\n`;

/** B's TokenUpdate is stored (twice: a newer one replaced the first); A only polled, nothing was pushed to it. */
const nanoTokenUpdateOfB = (stamp: Stamp) => () =>
  file(
    'nanomdm.log',
    lines(
      nanoTokenUpdate(stamp, '2026-11-20T08:00:00', UDID_B),
      nanoTokenUpdate(stamp, '2026-11-20T09:00:00', UDID_B),
      nanoIdle(stamp, '2026-11-20T09:30:00', UDID_A),
    ),
  );

/** MicroMDM: APNs answered B's push (the server had its token); for A the server holds no PushInfo. */
const microAnsweredB = () =>
  file(
    'micromdm.log',
    lines([
      `level=info ts=2026-11-30T09:00:03.52Z component=apns method=Push udid=${UDID_A} err="retrieving PushInfo by UDID: not found: PushInfo udid ${UDID_A} not found"`,
      `level=info ts=2026-11-30T09:00:03.61Z component=apns method=Push udid=${UDID_B} id=4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B err=null took=183.2ms`,
    ]),
  );

/** B answered a command (Idle after its push); A was pushed and never answered anything. */
const nanoAnsweredB = (stamp: Stamp) => () =>
  file(
    'nanomdm.log',
    lines(nanoPush(stamp, '2026-11-20T10:00:00', UDID_B), nanoIdle(stamp, '2026-11-20T10:00:02', UDID_B), nanoPush(stamp, '2026-11-20T10:10:00', UDID_A)),
  );

/** Jamf Pro: the server records B's last check-in; A was only pushed. */
const jamfCheckinOfB = () =>
  file(
    'JAMFSoftwareServer.log',
    lines([
      jamfSending('2024-05-06 09:10:00,100', 'Device ID: 412', UDID_A),
      jamf(
        '2024-05-06 09:20:11,482',
        'WARN',
        'MobileDeviceCheckInMonitor',
        `Mobile device id 97 (serial DMPXR4L2JF8K, UDID ${UDID_B}) has not checked in since 2024-05-01 17:02:45`,
      ),
    ]),
  );

/** An app provider: APNs accepted B's token's push and refused A's (Unregistered). */
const providerAcceptedB = () =>
  file(
    'provider.log',
    lines([
      `2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${TOKEN} apns-topic=com.example.demo status=410 reason=Unregistered`,
      `2026-11-20T10:01:01.110Z INFO  apns: sent apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=${OTHER_TOKEN} apns-topic=com.example.demo status=200`,
    ]),
  );

const ENROLLMENT = ['mdm.enrollment_identity_failed', 'mdm.enrollment_topic_missing', 'mdm.enrollment_profile_unusable'];
const APP_ACCEPTED = ['apns.environment_mismatch', 'apns.invalid_payload', 'apns.wrong_topic', 'apns.certificate_expired'];

interface Row {
  shape: string;
  causes: string[];
  evidence: () => string[];
  a: string;
  b: string;
}
const rows: Row[] = [
  ...(
    [
      ['NanoLIB, UTC', nanoLib],
      ['pre-NanoLIB, zone-less to the second', goLog],
    ] as const
  ).flatMap(([shape, stamp]): Row[] => [
    {
      shape: `${shape}: B's TokenUpdate, replaced by a newer one, is stored`,
      causes: ['mdm.no_push_info'],
      evidence: () => [nanoTokenUpdateOfB(stamp)()],
      a: UDID_A,
      b: UDID_B,
    },
    { shape: `${shape}: B answered a command`, causes: ENROLLMENT, evidence: () => [nanoAnsweredB(stamp)()], a: UDID_A, b: UDID_B },
  ]),
  { shape: 'MicroMDM: APNs answered B’s push', causes: ['mdm.no_push_info'], evidence: () => [microAnsweredB()], a: UDID_A, b: UDID_B },
  { shape: 'Jamf Pro: B’s last check-in is recorded', causes: ENROLLMENT, evidence: () => [jamfCheckinOfB()], a: UDID_A, b: UDID_B },
  {
    shape: 'MDM and app push side by side: B answered a command',
    causes: ENROLLMENT,
    evidence: () => [nanoAnsweredB(nanoLib)(), providerAcceptedB()],
    a: UDID_A,
    b: UDID_B,
  },
  { shape: 'app provider: APNs accepted B’s token', causes: APP_ACCEPTED, evidence: () => [providerAcceptedB()], a: TOKEN, b: OTHER_TOKEN },
];

describe.each(rows)('$shape', ({ causes, evidence, a, b }) => {
  it('with no device named, rules none of these causes out: the case asks which device', async () => {
    const r = await diagnose(...evidence());
    for (const id of causes) expect([id, cause(r, id)?.status]).not.toEqual([id, 'ruled_out']);
    expect(questionIds(r)).toContain('q.case.device');
  });

  it('with device A named, rules none of them out', async () => {
    const r = await diagnose(...evidence(), '--answer', `q.case.device=${a}`);
    for (const id of causes) expect([id, cause(r, id)?.status]).not.toEqual([id, 'ruled_out']);
  });

  it('with device B named, rules each of them out', async () => {
    const r = await diagnose(...evidence(), '--answer', `q.case.device=${b}`);
    for (const id of causes) expect([id, cause(r, id)?.status]).toEqual([id, 'ruled_out']);
  });
});
