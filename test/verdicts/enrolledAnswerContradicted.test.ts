import { describe, expect, it } from 'vitest';
import { cause, diagnose, expectEnrollmentContested, file, mdmPushCert, nanoLib, nanoPush, serverValues, sysdiagnose, UDID_A } from './evidence.js';

/**
 * Troubleshooting step: "is the MDM profile still installed?" The engineer answers no (read off the user's
 * report), while the sysdiagnose on the ticket, taken after the failing pushes, holds MDM.plist with the
 * enrollment. One of the two is wrong or about another moment: the report says they disagree, and neither
 * "the device left MDM" nor "it is still enrolled" is decided until someone settles which holds.
 */

/** NanoLIB (UTC): two pushes to the device at 09:00 and 09:15, neither answered. */
const serverLog = () =>
  file('nanomdm.log', `${[...nanoPush(nanoLib, '2026-11-30T09:00:00', UDID_A), ...nanoPush(nanoLib, '2026-11-30T09:15:00', UDID_A)].join('\n')}\n`);

const run = (taken: string, ...answers: string[]) =>
  diagnose(
    sysdiagnose({ taken }),
    mdmPushCert('2026-01-20T10:00:00Z', '2027-01-19T10:00:00Z'),
    serverLog(),
    ...serverValues('2026-11-30T10:30:00Z'),
    '--answer',
    `q.case.device=${UDID_A}`,
    ...answers.flatMap((a) => ['--answer', a]),
  );

describe('"the profile is gone" against a later sysdiagnose that shows the enrollment', () => {
  it('the sysdiagnose alone rules out that the device left MDM', async () => {
    expect(cause(await run('2026.11.30_09-20-00+0000'), 'mdm.unenrolled')?.status).toBe('ruled_out');
  });

  it('the answer beside it: the disagreement is the headline, and the cause stays open', async () => {
    const r = await run('2026.11.30_09-20-00+0000', 'q.mdm.enrolled=no');
    expectEnrollmentContested(r, 'no', 'yes');
    expect(r.headline).not.toMatch(/^Found/);
    expect(r.filing.status).not.toBe('ready');
  });

  it('an answer that agrees with the sysdiagnose: no disagreement, ruled out as before', async () => {
    const r = await run('2026.11.30_09-20-00+0000', 'q.mdm.enrolled=yes');
    expect(r.conflicts).toEqual([]);
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('ruled_out');
  });

  it('a sysdiagnose taken before the failing pushes does not contradict it: the answer stands', async () => {
    const r = await run('2026.11.30_08-00-00+0000', 'q.mdm.enrolled=no');
    expect(r.conflicts).toEqual([]);
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('confirmed');
  });
});
