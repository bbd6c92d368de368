import { describe, expect, it } from 'vitest';
import { diagnose, facts, file } from '../verdicts/evidence.js';

/**
 * Troubleshooting step: "has this Mac received an MDM push lately, and on which topic?", read from
 * `apsctl status` as Mac admins collect it (the layout Jamf extension attributes parse: one block per
 * application port, `last push notification:` in the Mac's local time, `last push notification topic:`).
 * Values are made up.
 */
const TOPIC = 'com.apple.mgmt.External.4b2d6f80-1c3e-4a5b-9d7f-0e2c4a6b8d1f';

const status = (portName: string, last: string) =>
  [
    `    application port name:                     ${portName}`,
    '        persistent connection status:          Ok',
    `        last push notification:                ${last} (1 hour ago)`,
    `        last push notification topic:          ${TOPIC}`,
  ].join('\n');

describe('apsctl status on a Mac', () => {
  it("the device channel's last MDM push is the device receiving it then, on that topic, in a zone not written", async () => {
    const r = await diagnose(
      file(
        'apsctl-status.txt',
        `${[status('com.apple.aps.mdmclient.daemon.push.production', 'Nov 20, 2026 at 9:31:02\u202fAM'), status('com.apple.aps.mdmclient.agent.push.production', 'Nov 19, 2026 at 4:02:44 PM')].join('\n')}\n`,
      ),
    );
    expect(r.domains).toContain('mdm');
    expect(facts(r, 'device.log.push_received').map((f) => [f.at, f.attrs.channel, f.attrs.topic, f.attrs.zone, f.origin.line])).toEqual([
      ['2026-11-19T16:02:44.000Z', 'user', TOPIC, 'unknown', 7],
      ['2026-11-20T09:31:02.000Z', 'device', TOPIC, 'unknown', 3],
    ]);
    expect(r.problems).toEqual([]);
  });

  it("an app's port (not mdmclient's) says nothing of MDM pushes", async () => {
    const r = await diagnose(
      file('apsctl-status.txt', `${status('com.apple.aps.someapp.push.production', 'Nov 20, 2026 at 9:31:02 AM')}\n`),
      '--answer',
      'q.case.domain=mdm',
    );
    expect(facts(r, 'device.log.push_received')).toEqual([]);
  });

  it("the connection was last seen up at the newest channel's push, whichever block apsctl printed last", async () => {
    // apsctl prints one block per port, not in time order: the user channel's older push comes after the device channel's.
    const r = await diagnose(
      file(
        'apsctl-status.txt',
        `${[status('com.apple.aps.mdmclient.daemon.push.production', 'Nov 20, 2026 at 9:31:02\u202fAM'), status('com.apple.aps.mdmclient.agent.push.production', 'Nov 19, 2026 at 4:02:44 PM')].join('\n')}\n`,
      ),
    );
    const [connection] = facts(r, 'device.log.push_connection');
    expect(connection?.value).toBe('up');
    expect(connection?.at).toBe('2026-11-20T09:31:02.000Z');
    // The Mac's local time, as apsctl wrote it: not passed off as UTC.
    expect(connection?.attrs.last_seen).toBe('Nov 20, 2026 at 9:31:02 AM (the log gives no zone)');
  });
});
