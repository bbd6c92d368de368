import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPath } from '../../src/evidence/read.js';
import { ctx, fixture, named, one, scan } from './helpers.js';

/**
 * One line per log form people paste, each saying the same thing (mdmd
 * rejected a push for its magic): whatever the form, the same fact comes
 * out, at the same instant when the form carries a full time.
 */
const REJECTION = 'Rejecting MDM push dictionary because it does not have the right magic string.';
const FORMS: [string, string, string | undefined][] = [
  [
    'log show default style (offset, TTL column)',
    `2024-03-01 10:22:33.123456+0100 0x1a2b     Default     0x0                  123    0    mdmd: (ManagedConfiguration) [com.apple.ManagedClient:MDMDaemon] ${REJECTION}`,
    '2024-03-01T09:22:33.123Z',
  ],
  [
    'log show default style (older, no TTL column, wide gaps)',
    `2024-03-01 10:22:33.123456-0400 0x1a2b        Default        0x0      123      mdmd: ${REJECTION}`,
    '2024-03-01T14:22:33.123Z',
  ],
  ['log show --style compact', `2024-03-01 10:22:33.123 Df mdmd[123:1a2b] [com.apple.ManagedClient:MDMDaemon] ${REJECTION}`, '2024-03-01T10:22:33.123Z'],
  [
    'log show --style syslog',
    `2024-03-01 10:22:33.123456+0100  localhost mdmd[123]: (ManagedConfiguration) [com.apple.ManagedClient:MDMDaemon] ${REJECTION}`,
    '2024-03-01T09:22:33.123Z',
  ],
  [
    'log show --style ndjson',
    JSON.stringify({
      timestamp: '2024-03-01 10:22:33.123456+0100',
      eventMessage: REJECTION,
      processImagePath: '/usr/libexec/mdmd',
      subsystem: 'com.apple.ManagedClient',
      category: 'MDMDaemon',
      processID: 123,
    }),
    '2024-03-01T09:22:33.123Z',
  ],
  ['old syslog (no year, so no time is guessed)', `Mar  1 10:22:33 Johns-iPhone mdmd[123] <Notice>: ${REJECTION}`, undefined],
  ['iOS syslog with a sub-component', `Mar  1 10:22:33 Johns-iPhone mdmd(ManagedConfiguration)[123] <Notice>: MDM|${REJECTION}`, undefined],
  ['Console.app copy (tab separated, time of day only)', `default\t10:22:33.123456+0100\tmdmd\t${REJECTION}`, undefined],
  [
    'Console.app copy with subsystem and category',
    `default\t2024-03-01 10:22:33.123456+0100\tmdmd\tcom.apple.ManagedClient\tMDMDaemon\t${REJECTION}`,
    '2024-03-01T09:22:33.123Z',
  ],
  ['just the message, as pasted into a chat', `mdmd: ${REJECTION}`, undefined],
];

describe('every log form yields the magic rejection', () => {
  it.each(FORMS)('%s', async (_form, line, at) => {
    const { facts, problems } = await scan(`${line}\n`, { pasted: true });
    expect(problems).toEqual([]);
    const f = one(facts, 'device.log.magic_rejection');
    expect(f.at).toBe(at);
    expect(f.source).toEqual({ kind: 'pasted', input: 'pasted text', line: 1 });
    expect(one(facts, 'device.log.mdm_lines').value).toBe(1);
    expect(one(facts, 'device.log.redacted').value).toBe(false);
  });
});

describe('what each known line means', () => {
  const cases: [string, string, string, Record<string, string>?, (string | undefined)?][] = [
    [
      'courier connection (production)',
      'apsd[98]: <APSCourier: 0x1>: Connected to courier 23-courier.push.apple.com (17.57.146.20:5223) connectionType WiFi',
      'device.log.courier_connected',
      { host: '23-courier.push.apple.com', env: 'production' },
    ],
    [
      'courier connection (sandbox)',
      'apsd[98]: <APSCourier: 0x1>: Connected to courier 1-courier.sandbox.push.apple.com (17.188.166.18:5223)',
      'device.log.courier_connected',
      { host: '1-courier.sandbox.push.apple.com', env: 'sandbox' },
    ],
    ['connection failure', 'apsd[98]: <APSCourierConnection: 0x2>: Disconnecting in response to connection failure', 'device.log.connection_failure'],
    [
      'push for an enabled topic',
      "apsd[98]: <APSCourier: 0x1 production>: Received message for enabled topic 'com.apple.mgmt.External.abc' onInterface: NonCellular with payload '{}'",
      'device.log.push_received',
      { topic: 'com.apple.mgmt.External.abc' },
    ],
    [
      'high priority message (debug logging)',
      "apsd[98]: <APSCourier: 0x1>: Received high priority message for topic 'com.example.app' with payload",
      'device.log.push_received',
      { topic: 'com.example.app', priority: 'high' },
    ],
    [
      'push for an ignored topic',
      "apsd[98]: <APSCourier: 0x1>: Received message for ignored topic 'com.apple.mgmt.External.old'",
      'device.log.push_ignored',
      { reason: 'ignored', topic: 'com.apple.mgmt.External.old' },
    ],
    [
      'push for an unknown token',
      'apsd[98]: Received incoming push notification for topic: <private> but for a completely unknown token <private>',
      'device.log.push_unknown_token',
      {},
    ],
    ['token update skipped', 'mdmd[241]: MDM|Skipped token update due to incomplete migration', 'device.log.token_update_skipped'],
    ['iOS mdmd polls the server', 'mdmd[241]: MDM|Polling MDM server https://mdm.example.com/mdm for next command.', 'device.log.checkin', { kind: 'poll' }],
    [
      'missing aps-environment (TN2265)',
      `MyApp[412]: Error Domain=NSCocoaErrorDomain Code=3000 "no valid 'aps-environment' entitlement string found for application"`,
      'device.log.aps_environment_missing',
    ],
    [
      // Firebase's iOS SDK repeats the registration error in its own log, with double quotes.
      'missing aps-environment, as Firebase Messaging logs it',
      `Acme[512:20931] 11.4.0 - [FirebaseMessaging][I-FCM012002] Error in application:didFailToRegisterForRemoteNotificationsWithError: no valid "aps-environment" entitlement string found for application`,
      'device.log.aps_environment_missing',
    ],
    [
      'app token lookup with no token',
      'apsd(PersistentConnection)[83]: copyTokenForDomain push.apple.com (null)',
      'device.log.copy_token',
      { domain: 'push.apple.com', token: 'none' },
    ],
  ];
  it.each(cases)('%s', async (_what, line, name, attrs, value) => {
    const { facts } = await scan(`${line}\n`, { pasted: true });
    const f = one(facts, name);
    if (attrs) expect(f.attrs).toMatchObject(attrs);
    if (value !== undefined) expect(f.value).toBe(value);
  });

  it('a check-in with a status gives the check-in, the status, its command and the channel (daemon: device, agent: user)', async () => {
    const { facts } = await scan(readFileSync(fixture('log_show_compact_mdmclient.log'), 'utf8'), { name: 'mdmclient.log' });
    expect(named(facts, 'device.log.checkin')).toHaveLength(3);
    const statuses = named(facts, 'mdm.command.status').map((f) => [f.value, f.attrs?.request_type, f.attrs?.command_uuid, f.attrs?.channel]);
    expect(statuses).toEqual([
      ['Acknowledged', 'DeviceInformation', '0F6C2A31-91B4-4A52-8D3B-6E1C5A7B9D20', 'device'],
      ['NotNow', 'InstallProfile', '5B7E2D10-3C4F-4E8A-9B61-2D7F0A3C1E45', 'user'],
      ['Idle', undefined, undefined, 'device'],
    ]);
    // The kernel line is not the push path.
    expect(one(facts, 'device.log.mdm_lines').value).toBe(3);
    // Compact style has no offset: the time is read as UTC and says so.
    expect(named(facts, 'device.log.checkin')[0].attrs).toMatchObject({ logged_at: '2024-03-04 10:01:12.004', time_note: expect.stringContaining('UTC') });
  });
});

describe('redaction', () => {
  it('a log with <private> values says the logging profile is needed and guesses none of them', async () => {
    const r = await readPath(fixture('log_show_default_mdmd_redacted.log'), ctx);
    expect(r.problems).toEqual([]);
    expect(one(r.facts, 'device.log.redacted')).toMatchObject({ value: true, source: { line: 4 } });
    expect(one(r.facts, 'device.log.courier_connected').attrs).not.toHaveProperty('host');
    expect(one(r.facts, 'device.log.push_received').attrs).not.toHaveProperty('topic');
    expect(one(r.facts, 'device.log.magic_rejection').at).toBe('2024-03-04T08:15:40.911Z');
    // Header, "Filtering…" and footer lines are frames, not events: three events only.
    expect(one(r.facts, 'device.log.mdm_lines').value).toBe(3);
    expect(JSON.stringify(r.facts)).not.toContain('<private>');
  });
});

describe('json and syslog files', () => {
  it('reads `log show --style json` (one event over many lines)', async () => {
    const r = await readPath(fixture('log_show_json_apsd.json'), ctx);
    expect(r.problems).toEqual([]);
    const push = one(r.facts, 'device.log.push_received');
    expect(push).toMatchObject({
      at: '2024-03-04T08:20:11.552Z',
      attrs: { topic: 'com.apple.mgmt.External.3f1c9a2e-6b7d-4e21-9c0a-5d8e7f6a4b31', process: 'apsd' },
      source: { line: 3 },
    });
    expect(one(r.facts, 'device.log.connection_failure').at).toBe('2024-03-04T08:25:00.000Z');
    expect(one(r.facts, 'device.log.push_environment').value).toBe('production');
    expect(one(r.facts, 'device.log.mdm_lines').value).toBe(2);
  });

  it('reads an iOS PersistentConnection syslog, leaving times without a year unset', async () => {
    const r = await readPath(fixture('ios_syslog_persistent_connection.log'), ctx);
    expect(r.problems).toEqual([]);
    expect(one(r.facts, 'device.log.copy_token').attrs).toMatchObject({ token: 'none', domain: 'push.apple.com' });
    const courier = one(r.facts, 'device.log.courier_connected');
    expect(courier.attrs).toMatchObject({ env: 'sandbox', logged_at: 'Mar  4 09:30:02' });
    expect(courier.at).toBeUndefined();
    expect(courier.value).toBe('Mar  4 09:30:02');
    expect(one(r.facts, 'device.log.token_update_skipped').source).toMatchObject({ line: 3 });
    expect(one(r.facts, 'device.log.mdm_lines').value).toBe(3);
  });
});

describe('a macOS log export with server lines below it', () => {
  it('reads macOS `log show` default style with MicroMDM lines mixed in, and finds the mdmclient command', async () => {
    const path = fixture('log_show_default_mdmclient_with_server_lines.log');
    const r = await readPath(path, ctx);
    expect(r.problems).toEqual([]);
    const cmd = one(r.facts, 'device.log.command');
    expect(cmd).toMatchObject({ value: 'InstallApplication', at: '2019-10-14T06:52:17.204Z', source: { kind: 'file', input: path, line: 2 } });
    expect(cmd.attrs).toMatchObject({ process: 'mdmclient', logged_at: '2019-10-14 08:52:17.204913+0200' });
    // appstoreagent is not on the push path; mdmclient is the one relevant line.
    expect(named(r.facts, 'device.log.mdm_lines').map((f) => f.value)).toEqual([1]);
    expect(one(r.facts, 'device.log.redacted').value).toBe(false);
  });
});

describe('coverage of the push path', () => {
  it('a recognised log without any mdmd/apsd line says so with 0 lines', async () => {
    const { facts } = await scan('2024-03-01 10:22:33.123 Df kernel[0:1a] port reset\n2024-03-01 10:22:34.000 Df WindowServer[88:2b] frame\n');
    expect(facts).toEqual([{ name: 'device.log.mdm_lines', value: 0, source: { kind: 'file', input: 'device.log' } }]);
  });

  it('text that is no log yields nothing at all', async () => {
    const { facts, problems } = await scan('Dear team,\nthe pushes do not arrive.\n', { name: 'notes.txt' });
    expect(facts).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('a paste that is not a log is not taken by the log reader', async () => {
    const { facts, problems } = await scan('topic=com.apple.mgmt.External.abc\n', { pasted: true });
    expect(facts).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['input.unrecognised']);
  });
});

describe('limits', () => {
  it('a 50 MB single line is cut by feedLines and the lines after it are still read', async () => {
    const huge = `mdmd: ${'x'.repeat(50 * 1024 * 1024)}`;
    const { facts, problems } = await scan(`${huge}\nmdmd[1]: ${REJECTION}\n`, { name: 'big.log' });
    expect(problems).toEqual([]);
    expect(one(facts, 'device.log.magic_rejection').source).toMatchObject({ line: 2 });
  });

  it('millions of the same event keep the first and last hundred and say how many there were', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++)
      lines.push(
        `2024-03-01 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000+0000 0x1 Default 0x0 98 0 apsd: Disconnecting in response to connection failure`,
      );
    const { facts, problems } = await scan(lines.join('\n'));
    const kept = named(facts, 'device.log.connection_failure');
    expect(kept).toHaveLength(200);
    expect(kept.at(-1)!.source).toMatchObject({ line: 1000 });
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('holds 1000 lines for device.log.connection_failure')]);
    expect(one(facts, 'device.log.mdm_lines').value).toBe(1000);
  });

  it('stops at maxLogBytes and says where', async () => {
    const { readBuffer } = await import('../../src/evidence/dispatch.js');
    const { textReaders } = await import('../../src/evidence/text/index.js');
    const text = `mdmd[1]: ${REJECTION}\n`.repeat(100);
    const r = await readBuffer({ input: 'x.log' }, Buffer.from(text), { limits: { ...ctx.limits, maxLogBytes: 1000 } }, textReaders);
    expect(r.problems.map((p) => p.code)).toEqual(['text.log_truncated']);
    expect(named(r.facts, 'device.log.magic_rejection').length).toBeLessThan(100);
  });
});

describe('an MDM server log handed to the device-log reader', () => {
  const SERVER = [
    'ts=2024-03-04T06:00:01Z level=info service=nanomdm status=NotNow id=00008110-001A2C3E4F50801E type=Device command_uuid=6a1b2c3d-4e5f-4a6b-8c7d-000000000001',
    'level=info ts=2024-03-04T06:00:02Z caller=mdm.go:41 msg="status NotNow" udid=00008110-001A2C3E4F50801E',
    'ts=2024-03-04T06:00:03Z level=debug handler=push msg=push count=1 errs=0',
  ];

  it('yields nothing from the server lines (the server-log reader reads them), not even a count of MDM lines', async () => {
    const res = await scan(SERVER.join('\n'), { name: 'nanomdm.log' });
    expect(res.facts).toEqual([]);
  });

  it('still reads a device line among them', async () => {
    const device = `2024-03-04 06:00:04.123 Df mdmd[123:1a2b] [com.apple.ManagedClient:MDMDaemon] ${REJECTION}`;
    const res = await scan([...SERVER, device].join('\n'), { name: 'mixed.log' });
    expect(one(res.facts, 'device.log.mdm_lines').value).toBe(1);
    expect(named(res.facts, 'device.log.magic_rejection')).toHaveLength(1);
  });
});
