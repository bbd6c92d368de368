import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, goLog, nanoCheckOut, nanoIdle, nanoPush, nanoTokenUpdate, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step (seed 000, "unenrolled with a failed CheckOut"): "did the server keep pushing to a
 * device that had left MDM?" The server's log (Go's prefix: local time, to the second, no zone) holds two
 * iPhones; A sends CheckOut. A push to A after its CheckOut went to an enrollment A had left: the server still
 * pushes. With every push to A before its CheckOut, A was still enrolled when they went out: it has left now,
 * so nothing will reach it, but leaving does not explain why those earlier pushes went unanswered, and the
 * report must not say the server "still pushes".
 */

const log = (...lines: string[][]) => file('nanomdm.log', `${lines.flat().join('\n')}\n`);
const tokenUpdate = nanoTokenUpdate(goLog, '2026-11-20T08:00:01', UDID_A);
const push = (t: string) => nanoPush(goLog, t, UDID_A);
const checkout = (t: string) => nanoCheckOut(goLog, t, UDID_A);
/** B polls at 10:30: the log runs on past A's pushes. */
const otherDevice = nanoIdle(goLog, '2026-11-20T10:30:00', UDID_B);
const run = (l: string) => diagnose(l, '--answer', `q.case.device=${UDID_A}`);
const why = async (l: string) => {
  const r = await run(l);
  const left = cause(r, 'mdm.unenrolled');
  expect(left?.status).toBe('confirmed');
  return { r, because: ((left?.because ?? []) as string[]).join(' ') };
};

describe('the only push to the device went out before its CheckOut', () => {
  it('confirmed as the device having left, without saying the server still pushes, and not as the reason that push went unanswered', async () => {
    const { r, because } = await why(log(tokenUpdate, push('2026-11-20T10:00:00'), checkout('2026-11-20T10:10:00'), otherDevice));
    expect(because).not.toMatch(/still push/);
    expect(because).toMatch(/after the last push to it in the evidence \(2026-11-20T10:00:00\)/);
    expect(because).toMatch(/leaving does not explain why they went unanswered/);
    // Said first, where the short report shows only one reason.
    expect(cause(r, 'mdm.unenrolled')?.because[0]).toMatch(/^The device sent CheckOut .* after the last push/);
    expect(r.headline).not.toMatch(/still push/);
    expect(facts(r, 'mdm.push_after_checkout')).toEqual([]);
    // The pushes before it keep their own causes open.
    for (const id of ['mdm.network', 'mdm.wrong_magic', 'mdm.wrong_token']) expect(cause(r, id)?.status, id).not.toBe('ruled_out');
  });

  it('one-second stamps: a push in the same second as the CheckOut, written before it, is still before it', async () => {
    const { because } = await why(log(tokenUpdate, push('2026-11-20T10:10:00'), checkout('2026-11-20T10:10:00'), otherDevice));
    expect(because).not.toMatch(/still push/);
  });
});

describe('the server pushed to the device after its CheckOut', () => {
  it('the server still pushes to an enrollment the device had left, named with the time of that push', async () => {
    const { r, because } = await why(log(tokenUpdate, push('2026-11-20T10:00:00'), checkout('2026-11-20T10:10:00'), push('2026-11-20T10:20:00'), otherDevice));
    expect(because).toMatch(/still pushed to the device \(2026-11-20T10:20:00\) after its CheckOut/);
    expect(cause(r, 'mdm.unenrolled')?.because[0]).toMatch(/^The server still pushed/);
    expect(facts(r, 'mdm.checkout_after_pushes')).toEqual([]);
  });

  it('one-second stamps: a push in the same second, written after the CheckOut, came after it', async () => {
    const { because } = await why(log(tokenUpdate, checkout('2026-11-20T10:10:00'), push('2026-11-20T10:10:00'), otherDevice));
    expect(because).toMatch(/still pushed/);
  });

  it('enrolled again after the CheckOut: a later push is not one to an enrollment it had left', async () => {
    const r = await run(
      log(tokenUpdate, checkout('2026-11-20T09:00:00'), nanoTokenUpdate(goLog, '2026-11-20T09:30:00', UDID_A), push('2026-11-20T10:00:00'), otherDevice),
    );
    expect(facts(r, 'mdm.push_after_checkout')).toEqual([]);
    expect(cause(r, 'mdm.unenrolled')?.status).not.toBe('confirmed');
  });
});
