import { describe, expect, it } from 'vitest';
import { cause, heldRules, diagnose, file, goLog, nanoIdle, nanoPush, nanoTokenUpdate, TOPIC, UDID_A, UDID_B } from './evidence.js';

/**
 * Issue 8 item 9: the enrollment race follows seed 000. The window is under
 * a second and the server's push almost never wins it: a push a few seconds
 * after the TokenUpdate is no evidence of it; at most "likely", and only when
 * the push left inside the window, was never retried and the device never came.
 */

/** NanoMDM (Go log prefix, whole seconds): A enrolls at 09:00:00; later another iPhone enrolls. */
function log(push: string[], after: string[] = []): string {
  return file(
    'nanomdm-enroll.log',
    `${[
      goLog('2024-03-04T09:00:00', `level=info service=nanomdm msg=Authenticate id=${UDID_A} type=Device serial_number=F4GXK2Q9N73H`),
      ...nanoTokenUpdate(goLog, '2024-03-04T09:00:00', UDID_A),
      ...push,
      ...after,
      goLog('2024-03-04T09:12:30', `level=info service=nanomdm msg=Authenticate id=${UDID_B} type=Device serial_number=G7HZL3R0P84J`),
      ...nanoTokenUpdate(goLog, '2024-03-04T09:12:31', UDID_B),
    ].join('\n')}\n`,
  );
}
const run = (path: string) => diagnose(path, '--topic', TOPIC, '--answer', `q.case.device=${UDID_A}`);

describe('the push right after enrollment', () => {
  it('in the same second as the TokenUpdate, never retried, device never came: likely, not confirmed', async () => {
    const r = await run(log(nanoPush(goLog, '2024-03-04T09:00:00', UDID_A)));
    expect(cause(r, 'mdm.enrollment_race')?.status).toBe('likely');
    expect(heldRules(cause(r, 'mdm.enrollment_race'))).toContain('mdm.enrollment_race.too_soon_no_retry');
    expect(r.facts.find((f: { fact: string }) => f.fact === 'server.first_push_within_race_window')).toMatchObject({ value: true });
  });

  it('three seconds after the TokenUpdate is past the window: no evidence of the race, ruled out', async () => {
    const r = await run(log(nanoPush(goLog, '2024-03-04T09:00:03', UDID_A)));
    expect(cause(r, 'mdm.enrollment_race')?.status).toBe('ruled_out');
    expect(heldRules(cause(r, 'mdm.enrollment_race'))).toContain('mdm.enrollment_race.not_applicable');
  });

  it('one second later on whole-second stamps cannot be told (0.001 s to 1.999 s): never "likely"', async () => {
    const r = await run(log(nanoPush(goLog, '2024-03-04T09:00:01', UDID_A)));
    expect(cause(r, 'mdm.enrollment_race')?.status).not.toBe('likely');
    expect(r.facts.some((f: { fact: string }) => f.fact === 'server.first_push_within_race_window')).toBe(false);
  });

  it('inside the window, but the device came later: ruled out', async () => {
    const r = await run(log(nanoPush(goLog, '2024-03-04T09:00:00', UDID_A), nanoIdle(goLog, '2024-03-04T09:10:00', UDID_A)));
    expect(cause(r, 'mdm.enrollment_race')?.status).toBe('ruled_out');
  });

  it('inside the window, but the server pushed again 30 s later: ruled out', async () => {
    const r = await run(log([...nanoPush(goLog, '2024-03-04T09:00:00', UDID_A), ...nanoPush(goLog, '2024-03-04T09:00:30', UDID_A)]));
    expect(cause(r, 'mdm.enrollment_race')?.status).toBe('ruled_out');
  });
});
