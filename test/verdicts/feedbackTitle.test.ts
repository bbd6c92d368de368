import { describe, expect, it } from 'vitest';
import { diagnose, file, microPush, sysdiagnose, UDID_A, serverValues, mdmPushCert } from './evidence.js';

/**
 * Troubleshooting step: "what exactly do we tell Apple?" The Feedback draft's title and summary state what
 * APNs answered. When the failed push on record is one APNs refused (410 Unregistered, as the engineer read
 * it off the MDM console), the draft must not tell Apple that APNs accepted it.
 */

const cert = () => mdmPushCert();
const bundle = () => sysdiagnose({ taken: '2024.05.07_09-02-00+0000', lastPollingSuccess: '2024-05-07T08:40:11Z', installed: '2023-05-02T10:00:00Z' });
const CHECKED = [
  ...serverValues('2024-05-07T10:00:00Z'),
  ...['q.mdm.network_ok=yes', 'q.mdm.server_reachable=yes', 'q.mdm.push_soon_after_enrollment=no'].flatMap((a) => ['--answer', a]),
];

describe('the Feedback draft says what APNs answered', () => {
  it('a push APNs refused with 410: the title does not say APNs accepted it', async () => {
    const r = await diagnose(bundle(), cert(), ...CHECKED, '--answer', 'q.mdm.push_status=410');
    const draft = r.escalation.feedbackDraft as string;
    const title = draft.split('\n')[0]!;
    expect(title).not.toMatch(/accepted by APNs/);
    expect(title).toMatch(/410/);
  });

  it('pushes APNs accepted (200): the title says so', async () => {
    const log = file('micromdm.log', `${microPush('2024-05-07T08:00:03.118204', UDID_A, '4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B')}\n`);
    const r = await diagnose(bundle(), cert(), log, ...CHECKED, '--answer', `q.case.device=${UDID_A}`);
    expect((r.escalation.feedbackDraft as string).split('\n')[0]).toBe(
      'Title: MDM pushes to a managed device are accepted by APNs but the device never contacts the MDM server',
    );
  });
});
