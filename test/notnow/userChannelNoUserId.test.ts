import { describe, expect, it } from 'vitest';
import { cause, diagnose, file } from '../verdicts/evidence.js';
import { handedOut, nothingLeft, statusLine } from './helpers.js';

/**
 * Troubleshooting step (seed 002, Understand device polling): "did the device poll again after the NotNow,
 * and was the command sent again?". A Mac's user channel and device channel are two enrollments with
 * connections of their own. A log that marks the user channel by type=User alone (no user id beside the
 * UDID) still tells them apart: the device channel polling after the user channel's NotNow is not the user
 * channel polling again, so it says nothing of whether the server would send the profile command again.
 */
const MAC = '5A2F6C1E-3B7D-5E90-8C41-0D2E7A9B1F34';
const PROFILE = '9b1e7c44-2f0a-4d6b-a8e3-51c2d7f0b6aa';
const INFO = 'c4d2a9e1-7b3f-4e8a-9d60-2f1b8c7a5e03';

const log = file(
  'nanomdm.log',
  `${[
    statusLine('2024-03-04T09:14:59Z', MAC, 'Idle', undefined, 'User'),
    handedOut('2024-03-04T09:14:59Z', MAC, PROFILE, 'InstallProfile', 'User'),
    statusLine('2024-03-04T09:15:00Z', MAC, 'NotNow', PROFILE, 'User'),
    nothingLeft('2024-03-04T09:15:00Z', MAC, 'User'),
    statusLine('2024-03-04T09:15:00Z', MAC, 'Idle'),
    handedOut('2024-03-04T09:15:00Z', MAC, INFO, 'DeviceInformation'),
    statusLine('2024-03-04T09:15:00Z', MAC, 'Acknowledged', INFO),
    nothingLeft('2024-03-04T09:15:00Z', MAC),
  ].join('\n')}\n`,
);

describe("a Mac's user-channel NotNow, then its device channel polling, in a log without user ids", () => {
  it('does not confirm that the server failed to send the profile command again', async () => {
    const r = await diagnose(log);
    expect(cause(r, 'notnow.not_resent')?.status).not.toBe('confirmed');
  });

  it('nor that the server talked over the NotNow: the Acknowledged came on the device channel', async () => {
    const r = await diagnose(log);
    expect(cause(r, 'notnow.poll_suppressed')?.status).toBe('ruled_out');
  });
});
