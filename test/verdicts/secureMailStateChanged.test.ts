import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch.js';
import { cause, diagnose } from './evidence.js';

/**
 * Troubleshooting steps (seed 003): "is Background App Refresh on?", "is the device in Low Power Mode?",
 * "did the app get a device token?". Secure Mail's app log covers days; what it said at 07:00 may no longer
 * hold at 09:00. The latest word on each setting is what holds now: a state the log reported is history
 * once a later line reported the opposite (the user switched Background App Refresh on, left Low Power
 * Mode, or installed a build that registers for pushes).
 */
let n = 0;
function appLog(lines: string[]): string {
  const dir = join(scratchDir('pushcheck-securemail-state-'), String(++n));
  mkdirSync(dir);
  writeFileSync(join(dir, 'CtxLog_SecureMail.txt'), `${lines.join('\n')}\n`);
  return dir;
}
const line = (t: string, level: string, module: string, msg: string) => `01-Dec-2026 ${t} (+0000) | ${level} | Secure Mail.${module} | ${msg}`;

const BEFORE = [
  line('07:00:00:001', 'INFO', 'Application', 'UIBackgroundRefreshStatusDenied'),
  line('07:00:00:002', 'INFO', 'Application', 'Low Power Mode: enabled'),
  line('07:00:01:000', 'ERROR', 'APNS', 'didFailToRegisterForRemoteNotificationsWithError: no valid aps-environment entitlement string found for application'),
];
const AFTER = [
  line('09:00:00:001', 'INFO', 'Application', 'UIBackgroundRefreshStatusAvailable'),
  line('09:00:00:002', 'INFO', 'Application', 'Low Power Mode: disabled'),
  line(
    '09:00:01:000',
    'INFO',
    'APNS',
    'didRegisterForRemoteNotificationsWithDeviceToken <a1b2c3d4 e5f60718 293a4b5c 6d7e8f90 a1b2c3d4 e5f60718 293a4b5c 6d7e8f90>',
  ),
  line('09:00:06:400', 'INFO', 'APNS', 'Subscription to push notifications succeeded'),
];

describe('an app log whose early lines report a blocked device and later lines a working one', () => {
  it('Background App Refresh, Low Power Mode and the entitlement are not confirmed by the earlier lines', async () => {
    const r = await diagnose(appLog([...BEFORE, ...AFTER]));
    expect(cause(r, 'securemail.background_refresh_off')?.status).toBe('ruled_out');
    expect(cause(r, 'securemail.low_power_mode')?.status).toBe('ruled_out');
    expect(cause(r, 'securemail.missing_entitlement')?.status).toBe('ruled_out');
  });

  it('the other way round (working, then blocked) the later lines still confirm', async () => {
    const r = await diagnose(appLog([...AFTER.map((l) => l.replace(' 09:', ' 06:')), ...BEFORE]));
    expect(cause(r, 'securemail.background_refresh_off')?.status).toBe('confirmed');
    expect(cause(r, 'securemail.low_power_mode')?.status).toBe('confirmed');
  });
});
