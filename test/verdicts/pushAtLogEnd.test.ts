import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, goLog, nanoIdle, nanoPush, nanoTokenUpdate, serverValues, UDID_A, UDID_B } from './evidence.js';

/**
 * The engineer pushes to the device from the server's API, waits a moment, and exports the server's log:
 * the push is the log's last line but one, so whether the device answered it cannot be told (the log ends
 * inside the answer window). That push may well be the failure the case is about. The device's TokenUpdate
 * an hour earlier shows it enrolled then, not when the push went out: it does not rule out that the device
 * left MDM or was erased in between.
 */

const log = () =>
  file(
    'nanomdm.log',
    `${[
      ...nanoTokenUpdate(goLog, '2026-11-30T09:00:00', UDID_A),
      ...nanoTokenUpdate(goLog, '2026-11-30T09:00:05', UDID_B),
      ...nanoPush(goLog, '2026-11-30T10:00:00', UDID_B),
      ...nanoIdle(goLog, '2026-11-30T10:00:00', UDID_B),
      ...nanoPush(goLog, '2026-11-30T10:00:00', UDID_A),
      goLog('2026-11-30T10:00:01', 'level=info handler=log addr=::1 method=PUT path=/mdm agent=MDM/1.0 real_ip=198.51.100.9'),
    ].join('\n')}\n`,
  );

describe('a push at the end of the server log, its answer not yet in it', () => {
  it("does not take the device's TokenUpdate from before the push as proof it was still enrolled when the push went out", async () => {
    const r = await diagnose(log(), '--answer', `q.case.device=${UDID_A}`, ...serverValues('2026-11-30T10:05:00Z'));
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('open');
    expect(cause(r, 'mdm.wiped')?.status).toBe('open');
    expect(facts(r, 'device.reached_mdm_server')).toEqual([]);
  });

  it('with an answered push and nothing after it, the same TokenUpdate still shows the device enrolled (no push left to judge)', async () => {
    const r = await diagnose(log(), '--answer', `q.case.device=${UDID_B}`, ...serverValues('2026-11-30T10:05:00Z'));
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('ruled_out');
  });
});
