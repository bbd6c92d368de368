import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkin, go, logShowDefault, microStatus, nanoCheckin, nanoPush, nanoStatus, sha256hex, sysdiagnose } from './support/formats.js';
import { diagnose, diagnoseText, noteOf, questionIds, statusOf } from './support/run.js';
import { APP, MAGIC, TOKEN, TOKEN_HASH, TOPIC, UDID_A, UDID_B } from './support/values.js';

/**
 * Single files as engineers bring them to a support thread, one at a time:
 * a command result copied from the MDM server, a check-in, a Mac's
 * `log show` with the server's lines beside it, the app's provisioning
 * profile. Each must open the right kind of case and lead to a next step a
 * person can take, never to a claim the evidence does not hold.
 */

const dir = mkdtempSync(join(tmpdir(), 'pushcheck-real-shapes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const put = (name: string, data: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};

const plist = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n${body}\n</dict>\n</plist>\n`;

/** What the device PUTs back after a DeviceInformation command, as NanoMDM stores it. */
const deviceInformationAcknowledged = plist(
  [
    '\t<key>CommandUUID</key>\n\t<string>2f6d8a41-93c7-4b1e-a5d0-7c3e9b12f4a6</string>',
    '\t<key>QueryResponses</key>\n\t<dict>\n\t\t<key>DeviceName</key>\n\t\t<string>Annas iPhone</string>\n\t\t<key>OSVersion</key>\n\t\t<string>17.4.1</string>\n\t</dict>',
    '\t<key>Status</key>\n\t<string>Acknowledged</string>',
    `\t<key>UDID</key>\n\t<string>${UDID_A}</string>`,
  ].join('\n'),
);

/** An in-house app's provisioning profile, decoded (`security cms -D -i embedded.mobileprovision`). */
const inHouseProfile = plist(
  [
    '\t<key>AppIDName</key>\n\t<string>Acme Chat</string>',
    '\t<key>CreationDate</key>\n\t<date>2023-03-01T09:00:00Z</date>',
    `\t<key>Entitlements</key>\n\t<dict>\n\t\t<key>application-identifier</key>\n\t\t<string>QX7B2K9D4M.${APP}</string>\n\t\t<key>aps-environment</key>\n\t\t<string>production</string>\n\t</dict>`,
    '\t<key>ExpirationDate</key>\n\t<date>2024-03-01T09:00:00Z</date>',
    '\t<key>Name</key>\n\t<string>Acme Chat In House</string>',
    '\t<key>ProvisionsAllDevices</key>\n\t<true/>',
    '\t<key>TeamIdentifier</key>\n\t<array>\n\t\t<string>QX7B2K9D4M</string>\n\t</array>',
    '\t<key>UUID</key>\n\t<string>4b1d2c3e-5f60-4718-9a2b-3c4d5e6f7a8b</string>',
  ].join('\n'),
);

describe('one file from the MDM server', () => {
  it('a command result the device acknowledged is MDM evidence: the case is MDM push, and the first question is what APNs answered', async () => {
    const argv = [put('DeviceInformation_result.plist', deviceInformationAcknowledged)];
    const r = await diagnose(argv);
    expect(r.domains).toEqual(['mdm']);
    expect(questionIds(r)).not.toContain('q.case.domain');
    expect(questionIds(r)[0]).toBe('q.mdm.push_status');
    expect(noteOf(r, 'mdm.note.device_answers_commands')?.text).toContain(`${UDID_A}: Acknowledged`);
    // The device answering a command proves it enrolled; it proves nothing about a profile nobody attached.
    expect(statusOf(r, 'mdm.enrollment_profile_unusable')).toBe('ruled_out');
    const text = await diagnoseText(argv);
    expect(text).toMatch(/^pushcheck: Nothing confirmed yet — answer this: What did APNs answer/);
    expect(text).not.toContain('enrollment profile read has');
    expect(text).not.toContain('The enrollment profile carries a Topic');
  });

  it('a command result answered NotNow beside it still opens the NotNow case, not MDM push', async () => {
    const notNow = deviceInformationAcknowledged.replace('<string>Acknowledged</string>', '<string>NotNow</string>');
    const r = await diagnose([put('DeviceLock_result.plist', notNow)]);
    expect(r.domains).toEqual(['notnow']);
  });

  it("a TokenUpdate alone: the report shows the topic, PushMagic and token hash it gives, to hold against the device's MDM.plist", async () => {
    const argv = [
      put('TokenUpdate.plist', checkin({ MessageType: 'TokenUpdate', Topic: TOPIC, UDID: UDID_A, PushMagic: MAGIC }, { Token: Buffer.from(TOKEN, 'hex') })),
    ];
    const r = await diagnose(argv);
    const note = noteOf(r, 'mdm.note.token_update_values')?.text ?? '';
    expect(note).toContain(TOPIC);
    expect(note).toContain(MAGIC);
    expect(note).toContain(TOKEN_HASH);
    expect(note).toContain('LastPushTokenHash must be that SHA-256');
    // The terminal keeps the comparison readable: the hash shortened, the magic whole.
    const text = await diagnoseText(argv);
    expect(text).toContain(`PushMagic ${MAGIC}`);
    expect(text).toContain(`SHA-256 ${TOKEN_HASH.slice(0, 8)}…${TOKEN_HASH.slice(-4)}`);
  });

  it('a TokenUpdate pasted into a ticket with its Token hidden ("<redacted>"): masked, never decoded into a short token', async () => {
    const r = await diagnose([
      put('TokenUpdate_ticket.plist', checkin({ MessageType: 'TokenUpdate', Topic: TOPIC, UDID: UDID_A, PushMagic: MAGIC, Token: '<redacted>' })),
    ]);
    expect(noteOf(r, 'mdm.note.value_masked')?.text).toContain('"<redacted>" is redacted');
    expect(noteOf(r, 'mdm.note.value_garbled')).toBeUndefined();
    expect(r.facts.filter((f) => f.fact === 'server.push_token')).toEqual([]);
    expect(r.problems.map((p) => p.code)).not.toContain('mdm.token.length');
  });

  it("with the device's sysdiagnose beside the TokenUpdate the rules compare the values themselves: no note asking a person to", async () => {
    const b = sysdiagnose({ taken: '2024.05.07_09-02-00+0000', topic: TOPIC, magic: MAGIC, tokenHash: TOKEN_HASH });
    const r = await diagnose([
      put(b.name, b.data),
      put('TokenUpdate.plist', checkin({ MessageType: 'TokenUpdate', Topic: TOPIC, UDID: UDID_A, PushMagic: MAGIC }, { Token: Buffer.from(TOKEN, 'hex') })),
    ]);
    expect(noteOf(r, 'mdm.note.token_update_values')).toBeUndefined();
    expect(statusOf(r, 'mdm.wrong_magic')).toBe('ruled_out');
    expect(statusOf(r, 'mdm.wrong_token')).toBe('ruled_out');
    expect(sha256hex(TOKEN)).toBe(TOKEN_HASH);
  });
});

describe('answers that contradict nothing', () => {
  it('"not erased" and "the MDM profile is gone": erasure is ruled out by the answer, never by an enrollment the device no longer has', async () => {
    const argv = [
      put(
        'Authenticate.plist',
        checkin({ MessageType: 'Authenticate', Topic: TOPIC, UDID: UDID_A, BuildVersion: '21E236', OSVersion: '17.4.1', ProductName: 'iPhone15,2' }),
      ),
      '--answer',
      'q.mdm.wiped=no',
      '--answer',
      'q.mdm.enrolled=no',
    ];
    const r = await diagnose(argv);
    expect(statusOf(r, 'mdm.unenrolled')).toBe('confirmed');
    expect(statusOf(r, 'mdm.wiped')).toBe('ruled_out');
    expect(r.causes.find((c) => c.id === 'mdm.wiped')!.because.join(' ')).toBe('Someone who knows the device confirmed it was not erased.');
    expect(await diagnoseText(argv)).not.toContain('still carries an MDM enrollment');
  });
});

describe('a case said to be about NotNow, with only an Acknowledged result', () => {
  it('the not-resent cause is ruled out because nothing was refused, never "the refused command was sent again"', async () => {
    const argv = [put('DeviceInformation_result.plist', deviceInformationAcknowledged), '--answer', 'q.case.domain=notnow'];
    const r = await diagnose(argv);
    expect(statusOf(r, 'notnow.not_resent')).toBe('ruled_out');
    expect(r.causes.find((c) => c.id === 'notnow.not_resent')!.because).toEqual(['No command was answered NotNow, so none waits to be sent again.']);
    expect(await diagnoseText(argv)).not.toContain('The refused command was sent again');
  });
});

describe("a Mac's log show beside the MDM server's log", () => {
  const macLog = logShowDefault([
    [
      '2024-05-07 10:30:02.362540-0400',
      'mdmclient',
      '[com.apple.ManagedClient.InstallApplication] Scheduled InstallApplication from: https://mdm.acme-corp.net/repo/agent.plist',
    ],
  ]);
  const serverLog = `${microStatus('2024-05-07T14:30:03', UDID_A, 'Acknowledged', '5c1e7a93-0d2b-4f68-9a14-e3b7c5d8f021', 'InstallApplication')}\n`;

  it('one note says the device answered and when (in UTC, beside the Mac’s own clock), naming the log by its file name', async () => {
    const argv = [put('mac_mdmclient.log', macLog), put('micromdm.log', serverLog)];
    const r = await diagnose(argv);
    expect(r.notes.map((n) => n.id)).toContain('mdm.note.device_answers_commands_and_log');
    expect(r.notes.map((n) => n.id)).not.toContain('mdm.note.push_path_worked');
    expect(r.notes.map((n) => n.id)).not.toContain('mdm.note.device_answers_commands');
    const text = await diagnoseText(argv);
    expect(text).toContain('answered at 2024-05-07 14:30:02 UTC (10:30:02 at -04:00)');
    expect(text).toContain('the device whose log is mac_mdmclient.log');
    // The folder the files sat in on the engineer's machine is nobody's business in a report.
    expect(text).not.toContain(dir);
  });

  it('the device log alone keeps its own note, with the same UTC time', async () => {
    const argv = [put('mac_only.log', macLog)];
    const r = await diagnose(argv);
    expect(noteOf(r, 'mdm.note.push_path_worked')?.text).toContain('2024-05-07T10:30:02.362-04:00');
    const text = await diagnoseText(argv);
    expect(text).toContain('answered at 2024-05-07 14:30:02 UTC (10:30:02 at -04:00): the push path worked');
    expect(text).not.toContain(dir);
  });
});

describe("the app's provisioning profile alone (TN2265: the entitlement comes from the profile)", () => {
  const profile = () => put('embedded.mobileprovision', inHouseProfile);

  it('says which host its tokens belong to and until when it is valid, and asks first which host the provider sends to', async () => {
    const r = await diagnose([profile()]);
    expect(r.domains).toEqual(['apns']);
    const note = noteOf(r, 'apns.note.profile_environment')?.text ?? '';
    expect(note).toContain('aps-environment production');
    expect(note).toContain('api.push.apple.com');
    expect(note).toMatch(/valid until 2024-03-01T09:00:00(\.000)?Z/);
    expect(questionIds(r)[0]).toBe('q.apns.provider_host');
    // The end date still needs a time to be judged against; it is asked, not first.
    expect(questionIds(r)).toContain('q.case.now');
  });

  it('a provider sending to the sandbox with production tokens: the environments are mixed up', async () => {
    const r = await diagnose([profile(), '--answer', 'q.apns.provider_host=development']);
    expect(statusOf(r, 'apns.environment_mismatch')).toBe('confirmed');
    expect(noteOf(r, 'apns.note.profile_environment')).toBeUndefined();
  });

  it('a provider sending to production: the environments match', async () => {
    const r = await diagnose([profile(), '--answer', 'q.apns.provider_host=production']);
    expect(statusOf(r, 'apns.environment_mismatch')).toBe('ruled_out');
  });

  it('a push that failed after the end date: the profile is out of date', async () => {
    const r = await diagnose([profile(), '--answer', 'q.case.now=2024-05-07T09:00:00Z']);
    expect(statusOf(r, 'apns.stale_provisioning_profile')).toBe('confirmed');
  });

  it('a profile without aps-environment: the first question is whether push is on for the App ID (it decides between a stale profile and a missing capability)', async () => {
    const noPush = inHouseProfile.replace(/\t\t<key>aps-environment<\/key>\n\t\t<string>production<\/string>\n/, '');
    const r = await diagnose([put('team.mobileprovision', noPush)]);
    expect(statusOf(r, 'apns.missing_entitlement')).toBe('confirmed');
    expect(statusOf(r, 'apns.stale_provisioning_profile')).toBe('likely');
    expect(questionIds(r)[0]).toBe('q.apns.app_id_push');
    expect(noteOf(r, 'apns.note.profile_environment')).toBeUndefined();
  });

  it('a push that failed before the end date: not the profile', async () => {
    const r = await diagnose([profile(), '--answer', 'q.case.now=2024-01-15T09:00:00Z']);
    expect(statusOf(r, 'apns.stale_provisioning_profile')).toBe('ruled_out');
  });
});

describe("a healthy NanoMDM log (Go's one-second stamps, no zone)", () => {
  const log = [
    ...nanoCheckin(go, '2024-05-07T08:00:00', UDID_A, 'Authenticate'),
    ...nanoCheckin(go, '2024-05-07T08:00:01', UDID_A, 'TokenUpdate'),
    ...nanoPush(go, '2024-05-07T08:05:10', UDID_A, TOPIC),
    ...nanoStatus(go, '2024-05-07T08:05:11', UDID_A, 'Idle'),
  ].join('\n');

  it('says the push path worked, not that every cause of a failure was ruled out, and asks for a failing push', async () => {
    const argv = [put('nanomdm_quickstart.log', `${log}\n`)];
    const r = await diagnose(argv);
    expect(r.filing.status).toBe('push_answered');
    expect(r.headline).toMatch(/^No fault found: the latest push on record arrived, so the push path worked then — attach the log of a push that failed/);
  });

  it('its zone-less times read as times of unknown zone, never as "UTC (zone unknown)", and the line is named in words', async () => {
    const text = await diagnoseText([put('nanomdm_quickstart.log', `${log}\n`)]);
    expect(text).toContain('polled (Idle) at 2024-05-07 08:05:11 (zone unknown), 1 s after the push of 2024-05-07 08:05:10 (zone unknown)');
    expect(text).not.toContain('UTC (zone unknown)');
    expect(text).toMatch(/\(nanomdm_quickstart\.log line \d+\)/);
  });
});

describe("a Mac's apsd log: a push received, then the network gone", () => {
  const apsd = logShowDefault(
    [
      [
        '2024-05-07 10:00:03.551204+0200',
        'apsd',
        "(ApplePushService) [com.apple.apsd:courier] Received message for enabled topic '<private>' onInterface: NonCellular with payload '<private>' with priority 10 for device token: YES",
      ],
      [
        '2024-05-07 10:14:40.201144+0200',
        'apsd',
        '(ApplePushService) [com.apple.apsd:connection] <APSCourierConnection: 0x7fb1c380> Disconnecting in response to connection failure: Error Domain=NSPOSIXErrorDomain Code=60 "Operation timed out"',
      ],
      [
        '2024-05-07 10:14:41.902113+0200',
        'apsd',
        '(ApplePushService) [com.apple.apsd:connection] <APSTCPStream: 0x7fb1c511> Connection failed with error Error Domain=NSURLErrorDomain Code=-1009 "The Internet connection appears to be offline."',
      ],
    ],
    'process == "apsd"',
  );

  it('the reason given is the device going offline, never "apsd never connected" (the received push came over a connection)', async () => {
    const argv = [put('apsd_mac.log', apsd)];
    const r = await diagnose(argv);
    expect(statusOf(r, 'apns.no_connection')).toBe('likely');
    expect(statusOf(r, 'mdm.network')).toBe('likely');
    const why = r.causes.find((c) => c.id === 'apns.no_connection')!.because.join(' ');
    expect(why).toContain('no internet connection (error -1009)');
    expect(why).not.toContain('never a connection to a courier');
  });
});

describe('a NanoMDM log whose pushed device id was masked for the ticket', () => {
  const masked = `${UDID_A.slice(0, 9)}XXXXXXXXXXXXXXXX`;
  const log = [...nanoPush(go, '2024-05-07T08:00:03', masked, TOPIC), ...nanoStatus(go, '2024-05-07T08:00:04', UDID_B, 'Idle')].join('\n');

  it("another device's Idle neither answers the push nor makes that device the case: ask which device it is", async () => {
    const r = await diagnose([put('nanomdm_ticket.log', `${log}\n`)]);
    expect(questionIds(r)[0]).toBe('q.case.device');
    expect(noteOf(r, 'case.note.several_devices')?.text).toContain(`${masked} (masked)`);
    expect(noteOf(r, 'mdm.note.push_answered')).toBeUndefined();
    // Nothing about the pushed device says it is still enrolled.
    expect(statusOf(r, 'mdm.unenrolled')).toBe('open');
    expect(statusOf(r, 'mdm.wiped')).toBe('open');
  });

  it('once the engineer names the device that answered, the case is about that one', async () => {
    const r = await diagnose([put('nanomdm_ticket.log', `${log}\n`), '--answer', `q.case.device=${UDID_B}`]);
    expect(questionIds(r)).not.toContain('q.case.device');
    expect(r.facts.find((f) => f.fact === 'case.device')?.value).toBe(UDID_B);
  });
});
