import { describe, expect, it } from 'vitest';
import {
  cause,
  diagnose,
  nanoCheckOut,
  expectEnrollmentContested,
  facts,
  file,
  nanoIdle,
  nanoLib,
  nanoPush,
  nanoTokenUpdate,
  UDID_A,
  UDID_B,
} from './evidence.js';

/**
 * Troubleshooting step: "is the MDM profile still installed?" The engineer answers yes, while the server's
 * log shows the device sending CheckOut after the failing push and nothing of it since. One of the two is
 * wrong or about another moment (the user re-enrolled since, or the answer was read off another device): the
 * report says they disagree, and neither "the device left MDM" nor "it is still enrolled" is decided until
 * someone settles which holds. The reverse of enrolledAnswerContradicted.test.ts.
 */

const checkout = (t: string, udid: string) => nanoCheckOut(nanoLib, t, udid);
/** NanoLIB (UTC): A's TokenUpdate at 08:00, a push to A at 10:00 left unanswered, A's CheckOut at 10:10; B polls at 10:30. */
const serverLog = (...more: string[][]) =>
  file(
    'nanomdm.log',
    `${[
      nanoTokenUpdate(nanoLib, '2026-11-20T08:00:01', UDID_A),
      nanoPush(nanoLib, '2026-11-20T10:00:00', UDID_A),
      checkout('2026-11-20T10:10:00', UDID_A),
      ...more,
      nanoIdle(nanoLib, '2026-11-20T10:30:00', UDID_B),
    ]
      .flat()
      .join('\n')}\n`,
  );
const run = (log: string, ...answers: string[]) => diagnose(log, '--answer', `q.case.device=${UDID_A}`, ...answers.flatMap((a) => ['--answer', a]));

describe('"the profile is still installed" against a CheckOut after the failing push', () => {
  it('the CheckOut alone confirms that the device left MDM', async () => {
    const r = await run(serverLog());
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('confirmed');
    expect(facts(r, 'device.mdm_enrolled').map((f) => f.value)).toEqual([false]);
  });

  it('the answer beside it: the disagreement is the headline, and the cause stays open', async () => {
    const r = await run(serverLog(), 'q.mdm.enrolled=yes');
    expectEnrollmentContested(r, 'yes', 'no');
    expect(r.headline).not.toMatch(/^Found|one for Apple|No fault/);
    expect(r.escalation).toBeNull();
  });

  it('an answer that agrees with the CheckOut: no disagreement, confirmed as before', async () => {
    const r = await run(serverLog(), 'q.mdm.enrolled=no');
    expect(r.conflicts).toEqual([]);
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('confirmed');
  });

  it('the device enrolled again after the CheckOut: the answer stands, no disagreement', async () => {
    const r = await run(serverLog(nanoTokenUpdate(nanoLib, '2026-11-20T10:20:00', UDID_A)), 'q.mdm.enrolled=yes');
    expect(r.conflicts).toEqual([]);
    expect(cause(r, 'mdm.unenrolled')?.status).not.toBe('confirmed');
    expect(cause(r, 'mdm.unenrolled')?.contested).toBeUndefined();
  });

  it("another device's CheckOut says nothing of this one's enrollment", async () => {
    const log = file(
      'nanomdm.log',
      `${[nanoTokenUpdate(nanoLib, '2026-11-20T08:00:01', UDID_A), nanoPush(nanoLib, '2026-11-20T10:00:00', UDID_A), checkout('2026-11-20T10:10:00', UDID_B), nanoIdle(nanoLib, '2026-11-20T10:30:00', UDID_B)].flat().join('\n')}\n`,
    );
    const r = await run(log, 'q.mdm.enrolled=yes');
    expect(r.conflicts).toEqual([]);
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('ruled_out');
  });
});
