import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { diagnose, file, goLog, mdmPushCert, nanoTokenUpdate, serverValues, sysdiagnose, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step: "APNs said 410 Unregistered and every cause is ruled out: is it one for Apple?" A 410 for a
 * token the device still holds (its latest TokenUpdate came before the push) may be. A 410 followed by a TokenUpdate
 * of the same device is about a token it may have replaced since: the server pushes to the new one first. NanoMDM's
 * Go log (local time, no zone, one-second stamps); every value below is made up.
 */

const CHECKED = [
  ...serverValues('2024-05-07T10:00:00Z'),
  ...['q.mdm.network_ok=yes', 'q.mdm.server_reachable=yes', 'q.mdm.push_soon_after_enrollment=no', `q.case.device=${UDID_A}`].flatMap((a) => ['--answer', a]),
];
const bundle = () => sysdiagnose({ taken: '2024.05.07_09-02-00+0000', lastPollingSuccess: '2024-05-07T08:40:11Z', installed: '2023-05-02T10:00:00Z' });
const unregistered = (t: string, udid = UDID_A) =>
  goLog(t, `level=info service=push msg=push id=${udid} err="push HTTP status: 410: APNs push error: Unregistered: timestamp 1715068800000"`);
const evidence = (...lines: string[]) => [bundle(), mdmPushCert(), file('nanomdm.log', `${lines.join('\n')}\n`), ...CHECKED];

describe('a 410 Unregistered on an MDM push, every cause ruled out', () => {
  it('the device sent its latest TokenUpdate before the push: one for Apple, as before', async () => {
    const r = await diagnose(...evidence(...nanoTokenUpdate(goLog, '2024-05-07T07:30:00', UDID_A), unregistered('2024-05-07T08:00:03')));
    expect(r.filing.status).toBe('ready');
  });

  it('a TokenUpdate of the device after the 410: no draft; push to the new token first', async () => {
    const r = await diagnose(...evidence(unregistered('2024-05-07T08:00:03'), ...nanoTokenUpdate(goLog, '2024-05-07T08:30:00', UDID_A)));
    expect(r.filing.status).toBe('token_renewed');
    expect(r.escalation).toBeNull();
    expect(r.headline).toMatch(/push again to the token that TokenUpdate brought/);
    const out = await cli('feedback', ...evidence(unregistered('2024-05-07T08:00:03'), ...nanoTokenUpdate(goLog, '2024-05-07T08:30:00', UDID_A)));
    expect(out.out).toBe('');
    expect(out.err).toMatch(/No Feedback draft yet: APNs answered 410 only before the device's latest TokenUpdate/);
  });

  it("another device's TokenUpdate after the 410 changes nothing", async () => {
    const r = await diagnose(...evidence(unregistered('2024-05-07T08:00:03'), ...nanoTokenUpdate(goLog, '2024-05-07T08:30:00', UDID_B)));
    expect(r.filing.status).toBe('ready');
  });

  it('a 410 again after the TokenUpdate: one for Apple', async () => {
    const r = await diagnose(
      ...evidence(unregistered('2024-05-07T08:00:03'), ...nanoTokenUpdate(goLog, '2024-05-07T08:30:00', UDID_A), unregistered('2024-05-07T08:45:00')),
    );
    expect(r.filing.status).toBe('ready');
  });

  it('a CheckOut of the device after the 410: the device left MDM, not one for Apple', async () => {
    const r = await diagnose(
      ...evidence(unregistered('2024-05-07T08:00:03'), goLog('2024-05-07T08:10:00', `level=info service=nanomdm msg=CheckOut id=${UDID_A} type=Device`)),
    );
    expect(r.filing.status).not.toBe('ready');
    expect(r.escalation).toBeNull();
  });
});

describe("an app push's 410 beside an MDM server's TokenUpdate", () => {
  it('the app push is not held back by the MDM TokenUpdate', async () => {
    const { checkedAppCase, TOKEN } = await import('./evidence.js');
    const r = await diagnose(
      file('push-worker.log', `2024-05-07T08:00:03Z WARN apns: push failed token=${TOKEN} apns-topic=com.example.demo status=410 reason=Unregistered\n`),
      file('nanomdm.log', `${nanoTokenUpdate((t, rest) => `ts=${t}Z ${rest}`, '2024-05-07T08:30:00', UDID_A).join('\n')}\n`),
      ...checkedAppCase(),
    );
    expect(r.filing.status).not.toBe('token_renewed');
  });
});
