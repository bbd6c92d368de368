import { describe, expect, it } from 'vitest';
import { cause, diagnose, file } from '../verdicts/evidence.js';
import { handedOut, nothingLeft, statusLine } from './helpers.js';

/**
 * Troubleshooting step (seed 002, Understand device polling): "was NotNow the last status on its
 * connection?". A server logging to the second: within one second the device answered NotNow, the server
 * had nothing more (the connection ends), and the device polled again (Idle, a new connection) and
 * acknowledged another command. Two connections opened in the same second are still two: the Acknowledged
 * on the second says nothing of the first, whose last status was the NotNow.
 */
const IPHONE = '00008110-001A2C3E4F50801E';
const PROFILE = '9b1e7c44-2f0a-4d6b-a8e3-51c2d7f0b6aa';
const INFO = 'c4d2a9e1-7b3f-4e8a-9d60-2f1b8c7a5e03';
const T = '2024-03-04T09:15:00Z';

const lines = [
  statusLine(T, IPHONE, 'Idle'),
  handedOut(T, IPHONE, PROFILE, 'InstallProfile'),
  statusLine(T, IPHONE, 'NotNow', PROFILE),
  nothingLeft(T, IPHONE),
  statusLine(T, IPHONE, 'Idle'),
  handedOut(T, IPHONE, INFO, 'DeviceInformation'),
  statusLine(T, IPHONE, 'Acknowledged', INFO),
  nothingLeft(T, IPHONE),
];

describe('a NotNow, then a new connection within the same second that acknowledges another command', () => {
  it('does not confirm that the server talked over the NotNow', async () => {
    const r = await diagnose(file('nanomdm.log', `${lines.join('\n')}\n`));
    expect(cause(r, 'notnow.poll_suppressed')?.status).toBe('ruled_out');
  });

  it('the device polled again and the profile was not sent again: that is what the log shows', async () => {
    const r = await diagnose(file('nanomdm.log', `${lines.join('\n')}\n`));
    expect(cause(r, 'notnow.not_resent')?.status).toBe('confirmed');
  });
});

describe('two rotated logs of the same server whose lines share one second', () => {
  it("a connection in one file is not merged with another file's connection of the same second", async () => {
    // The newer file is written first, so its name sorts first, as nanomdm.log does before nanomdm.log.1.
    const newer = file('nanomdm.log', `${lines.slice(0, 4).join('\n')}\n`);
    const older = file('nanomdm.log.1', `${lines.slice(4).join('\n')}\n`);
    const r = await diagnose(newer, older);
    expect(cause(r, 'notnow.poll_suppressed')?.status).not.toBe('confirmed');
  });
});
