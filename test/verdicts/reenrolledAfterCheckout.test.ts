import { describe, expect, it } from 'vitest';
import { cause, diagnose, nanoCheckOut, file, nanoIdle, nanoLib, nanoPush, nanoTokenUpdate, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step: "did the device leave MDM?" A CheckOut in the server's log says the device left
 * then. When the same device enrolled again afterwards (Authenticate, then TokenUpdate), the CheckOut is
 * history: a push it does not answer later is not explained by that CheckOut.
 */

const checkout = (t: string, udid: string) => nanoCheckOut(nanoLib, t, udid);
const authenticate = (t: string, udid: string) => [
  nanoLib(t, 'level=info handler=log addr=::1 method=PUT path=/mdm/checkin agent=MDM/1.0 real_ip=198.51.100.7'),
  nanoLib(t, `level=info service=nanomdm msg=Authenticate id=${udid} type=Device`),
];
const log = (lines: string[][]) => file('nanomdm.log', `${lines.flat().join('\n')}\n`);
/** The push to A at 10:00 goes unanswered; B's poll at 10:30 shows the log runs on past it. */
const unansweredPush = [nanoPush(nanoLib, '2026-11-20T10:00:00', UDID_A), nanoIdle(nanoLib, '2026-11-20T10:30:00', UDID_B)];

describe('a CheckOut, then the same device enrolled again', () => {
  it('the later unanswered push is not put down to the CheckOut', async () => {
    const r = await diagnose(
      log([
        checkout('2026-11-20T08:00:00', UDID_A),
        authenticate('2026-11-20T09:00:00', UDID_A),
        nanoTokenUpdate(nanoLib, '2026-11-20T09:00:01', UDID_A),
        ...unansweredPush,
      ]),
      '--answer',
      `q.case.device=${UDID_A}`,
    );
    expect(cause(r, 'mdm.unenrolled')?.status).not.toBe('confirmed');
  });

  it('a CheckOut after the last enrollment still confirms that the device left', async () => {
    const r = await diagnose(
      log([
        authenticate('2026-11-20T08:00:00', UDID_A),
        nanoTokenUpdate(nanoLib, '2026-11-20T08:00:01', UDID_A),
        checkout('2026-11-20T09:00:00', UDID_A),
        ...unansweredPush,
      ]),
      '--answer',
      `q.case.device=${UDID_A}`,
    );
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('confirmed');
  });

  it("another device's enrollment does not lift this one's CheckOut", async () => {
    const r = await diagnose(
      log([
        checkout('2026-11-20T08:00:00', UDID_A),
        authenticate('2026-11-20T09:00:00', UDID_B),
        nanoTokenUpdate(nanoLib, '2026-11-20T09:00:01', UDID_B),
        ...unansweredPush,
      ]),
      '--answer',
      `q.case.device=${UDID_A}`,
    );
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('confirmed');
  });
});
