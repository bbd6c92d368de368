import { describe, expect, it } from 'vitest';
import { cause, diagnose, file, nanoLib, nanoPush, questionIds, UDID_A, UDID_B } from './evidence.js';

/**
 * A NanoMDM log of two iPhones: one (B) sent CheckOut in the morning, the other (A) is pushed an hour later
 * and does not answer. The CheckOut is B's leaving MDM; it does not confirm that A left, whether A is named as
 * the case or the case has not said which device it is about yet.
 */

const log = () =>
  file(
    'nanomdm.log',
    `${[
      nanoLib('2026-11-30T08:00:00', `level=info service=nanomdm msg=CheckOut id=${UDID_B} type=Device`),
      ...nanoPush(nanoLib, '2026-11-30T09:00:00', UDID_A),
      ...nanoPush(nanoLib, '2026-11-30T09:15:00', UDID_A),
      nanoLib('2026-11-30T09:30:00', 'level=info handler=log addr=::1 method=PUT path=/mdm agent=MDM/1.0 real_ip=198.51.100.9'),
    ].join('\n')}\n`,
  );

describe("another device's CheckOut in the server's log", () => {
  it('does not confirm that the named device left MDM', async () => {
    const r = await diagnose(log(), '--answer', `q.case.device=${UDID_A}`);
    expect(cause(r, 'mdm.unenrolled')?.status).not.toBe('confirmed');
  });

  it('confirms it for the device that sent it', async () => {
    const r = await diagnose(log(), '--answer', `q.case.device=${UDID_B}`);
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('confirmed');
  });

  it('with no device named, confirms nothing and asks which device first', async () => {
    const r = await diagnose(log());
    expect(cause(r, 'mdm.unenrolled')?.status).not.toBe('confirmed');
    expect(questionIds(r)[0]).toBe('q.case.device');
  });
});
