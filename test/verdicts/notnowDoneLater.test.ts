import { describe, expect, it } from 'vitest';
import { diagnose, file, note } from './evidence.js';

/**
 * Troubleshooting step (NotNow document, "Understand device polling"): was the command the device put off
 * carried out later? A NotNow followed, on a later connection, by Acknowledged for the same CommandUUID
 * was a delay that has ended, not a fault: the report says so first, instead of only asking why the device
 * said NotNow. Server log lines have one-second, zone-less times (NanoMDM's Go log prefix).
 */
const UDID = '5A2F6C1E-3B7D-5E90-8C41-0D2E7A9B1F34';
const CMD = '9b1e7c44-2f0a-4d6b-a8e3-51c2d7f0b6aa';
const line = (t: string, rest: string) => `2024/03/04 ${t} level=info service=nanomdm id=${UDID} type=Device ${rest}`;

const serverLog = (later: string) =>
  file(
    'nanomdm.log',
    [
      line('09:14:59', 'status=Idle'),
      line('09:14:59', `msg=command retrieved command_uuid=${CMD} request_type=InstallProfile`),
      line('09:14:59', `status=NotNow command_uuid=${CMD}`),
      line('09:14:59', 'msg=no command retrieved'),
      line('09:55:10', 'status=Idle'),
      line('09:55:10', `msg=command retrieved command_uuid=${CMD} request_type=InstallProfile`),
      line('09:55:11', `status=${later} command_uuid=${CMD}`),
      line('09:55:11', 'msg=no command retrieved'),
      '',
    ].join('\n'),
  );

const result = (status: string) =>
  file(
    `${status}.plist`,
    `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>CommandUUID</key><string>${CMD}</string>
<key>Status</key><string>${status}</string>
<key>UDID</key><string>${UDID}</string>
</dict></plist>
`,
  );

describe('a command answered NotNow, then Acknowledged on a later connection', () => {
  it('the server log: the report says the command was carried out later', async () => {
    const r = await diagnose(serverLog('Acknowledged'));
    expect(note(r, 'notnow.note.done_later')?.text).toMatch(/InstallProfile/);
  });

  it('two command result plists of the same CommandUUID say the same, without times', async () => {
    const r = await diagnose(result('NotNow'), result('Acknowledged'));
    expect(note(r, 'notnow.note.done_later')).toBeDefined();
  });

  it('answered NotNow again on the later connection: not done', async () => {
    const r = await diagnose(serverLog('NotNow'));
    expect(note(r, 'notnow.note.done_later')).toBeUndefined();
  });
});
