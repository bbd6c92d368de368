import { describe, expect, it } from 'vitest';
import { cause, diagnose, file, questionIds, UDID_A, UDID_B } from './evidence.js';

/**
 * MicroMDM's push log for two devices: it holds no PushInfo for one (its TokenUpdate never reached the
 * server) and pushes the other, APNs accepting. "No push details stored" is the first device's problem: it
 * is not confirmed for the other, nor for a case that has not said which device it is about.
 */

const micro = (t: string, rest: string) => `level=info ts=${t}Z component=apns method=Push ${rest}`;
const log = () =>
  file(
    'micromdm.log',
    `${[
      micro('2026-11-30T09:00:03.52', `udid=${UDID_B} err="retrieving PushInfo by UDID: not found: PushInfo udid ${UDID_B} not found"`),
      micro('2026-11-30T09:00:03.61', `udid=${UDID_A} id=4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B err=null took=183.2ms`),
      micro('2026-11-30T09:30:00.10', `udid=${UDID_A} id=5F2A8B3C-0D4E-4F6A-9B7C-8D9E0F1A2B3C err=null took=171.9ms`),
    ].join('\n')}\n`,
  );

describe('MicroMDM holds no PushInfo for one device of two', () => {
  it('is not confirmed for the other device, named as the case', async () => {
    const r = await diagnose(log(), '--answer', `q.case.device=${UDID_A}`);
    expect(cause(r, 'mdm.no_push_info')?.status).toBe('ruled_out');
  });

  it('is confirmed for the device it names', async () => {
    const r = await diagnose(log(), '--answer', `q.case.device=${UDID_B}`);
    expect(cause(r, 'mdm.no_push_info')?.status).toBe('confirmed');
  });

  it('with no device named, is not confirmed: the case asks which device first', async () => {
    const r = await diagnose(log());
    expect(cause(r, 'mdm.no_push_info')?.status).not.toBe('confirmed');
    expect(questionIds(r)[0]).toBe('q.case.device');
  });
});
