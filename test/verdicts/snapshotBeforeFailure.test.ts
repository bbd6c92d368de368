import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, MAGIC, mdmPushCert, nanoIdle, nanoLib, nanoPush, sysdiagnose, TOKEN, TOPIC, UDID_A, UDID_B } from './evidence.js';

/**
 * The sysdiagnose on the ticket was taken in the morning, an hour before the pushes that failed. MDM.plist
 * shows the device enrolled then; it says nothing of whether the device was still enrolled (not unenrolled,
 * not erased) when the failing pushes went out. Those causes stay open, and the case is not one for Apple yet.
 * A sysdiagnose taken after the failure still rules them out.
 */

/** NanoLIB (UTC): pushes to A at 09:00 and 09:15 it never answers; B answers its own, and the log goes on to 09:30. */
const serverLog = () =>
  file(
    'nanomdm.log',
    `${[
      ...nanoPush(nanoLib, '2026-11-30T09:00:00', UDID_A),
      ...nanoPush(nanoLib, '2026-11-30T09:00:00', UDID_B),
      ...nanoIdle(nanoLib, '2026-11-30T09:00:01', UDID_B),
      ...nanoPush(nanoLib, '2026-11-30T09:15:00', UDID_A),
      ...nanoIdle(nanoLib, '2026-11-30T09:30:00', UDID_B),
    ].join('\n')}\n`,
  );

const run = (taken: string) =>
  diagnose(
    sysdiagnose({ taken }),
    mdmPushCert('2026-01-20T10:00:00Z', '2027-01-19T10:00:00Z'),
    serverLog(),
    '--topic',
    TOPIC,
    '--magic',
    MAGIC,
    '--token',
    TOKEN,
    '--now',
    '2026-11-30T10:30:00Z',
    '--answer',
    `q.case.device=${UDID_A}`,
    '--answer',
    'q.mdm.network_ok=yes',
    '--answer',
    'q.mdm.server_reachable=yes',
  );

describe('a sysdiagnose taken before the failing pushes', () => {
  it('does not rule out that the device left MDM or was erased before they went out', async () => {
    const r = await run('2026.11.30_08-00-00+0000');
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('open');
    expect(cause(r, 'mdm.wiped')?.status).toBe('open');
    expect(r.filing.status).not.toBe('ready');
    // Still listed, set aside.
    expect(facts(r, 'device.mdm_enrolled').map((f) => f.setAside)).toEqual([true]);
  });

  it('taken after them, it still shows the device enrolled then', async () => {
    const r = await run('2026.11.30_09-20-00+0000');
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('ruled_out');
    expect(cause(r, 'mdm.wiped')?.status).toBe('ruled_out');
  });
});
