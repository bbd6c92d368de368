import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as plist from 'plist';
import { expect } from 'vitest';
import { pem, pushCertificate } from '../apns/certs.js';
import { tgz } from '../archive/support.js';
import { cli } from '../cli/helpers.js';
import { scratchDir } from '../support/scratch.js';

/**
 * Evidence as support engineers hand it over, written by us in the formats
 * the tools print: sysdiagnoses with binary plists (what mdmd writes), `log
 * show` exports of mdmd/mdmclient, and MDM server logs in NanoMDM's two
 * styles (Go log prefix with one-second, zone-less stamps; NanoLIB's `ts=`)
 * and MicroMDM's go-kit style. Every value below is made up.
 */

export const TOPIC = 'com.apple.mgmt.External.6c2f4e1a-8b3d-4a5e-9f70-1d2c3b4a5e6f';
export const MAGIC = '7E3B1C9A-4D2F-4A6B-8C5E-0F1A2B3C4D5E';
export const OLD_MAGIC = '2A9F6D3C-1B8E-4C7A-9D0F-5E4B3A2C1D0E';
export const TOKEN = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
export const TOKEN_HASH = createHash('sha256').update(Buffer.from(TOKEN, 'hex')).digest();
/** Two iPhones enrolled in the same server (UDIDs in the 00008xxx-… form of recent devices). */
export const UDID_A = '00008110-001A2C3E4F50801E';
export const UDID_B = '00008101-000D3A5C7E90401E';
export const SERIAL_A = 'F4GXK2Q9N73H';

let n = 0;
export function file(name: string, content: string | Buffer): string {
  const path = join(scratchDir('pushcheck-verdicts-'), `${++n}-${name}`);
  writeFileSync(path, content);
  return path;
}

/** The MDM push certificate the server pushes with (its subject UID is TOPIC), valid from notBefore to notAfter. */
export const mdmPushCert = (notBefore = '2023-11-20T10:00:00Z', notAfter = '2024-11-19T10:00:00Z') =>
  file('mdm-push.pem', pem(pushCertificate({ uid: TOPIC, cn: 'APSP:6c2f4e1a-8b3d-4a5e-9f70-1d2c3b4a5e6f', notBefore, notAfter })));

/**
 * Files under exactly their own names, side by side in one folder (a rotated log's name says its age:
 * `nanomdm.log.1` beside `nanomdm.log`); gzipped when a name ends in `.gz`. Paths in the order given.
 */
export function named(...files: [name: string, content: string][]): string[] {
  const dir = join(scratchDir('pushcheck-verdicts-'), `named-${++n}`);
  mkdirSync(dir);
  return files.map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, name.endsWith('.gz') ? gzipSync(content) : content);
    return path;
  });
}

/**
 * A MicroMDM webhook event as the server posts it: the device's TokenUpdate plist, base64 in `raw_payload`,
 * beside the time the server received it. Unlike a check-in saved on its own, it carries a time.
 */
export function webhookTokenUpdate(o: {
  udid: string;
  createdAt: string;
  magic?: string;
  topic?: string;
  /** The device's push token, hex (TOKEN unless given). */
  token?: string;
  /** The tally of TokenUpdates, written with AwaitingConfiguration (false) as MicroMDM does once a device has sent several. */
  tally?: number;
}): string {
  const awaiting = o.tally === undefined ? '' : '\t<key>AwaitingConfiguration</key>\n\t<false/>\n';
  const plist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
${awaiting}\t<key>MessageType</key>
\t<string>TokenUpdate</string>
\t<key>PushMagic</key>
\t<string>${o.magic ?? MAGIC}</string>
\t<key>Token</key>
\t<data>${Buffer.from(o.token ?? TOKEN, 'hex').toString('base64')}</data>
\t<key>Topic</key>
\t<string>${o.topic ?? TOPIC}</string>
\t<key>UDID</key>
\t<string>${o.udid}</string>
</dict>
</plist>
`;
  const event = {
    topic: 'mdm.TokenUpdate',
    event_id: '3c7d9e1f-2a4b-4c6d-8e0f-1a2b3c4d5e6f',
    created_at: o.createdAt,
    checkin_event: {
      udid: o.udid,
      url_params: {},
      raw_payload: Buffer.from(plist).toString('base64'),
      ...(o.tally === undefined ? {} : { token_update_tally: o.tally }),
    },
  };
  return file('webhook-tokenupdate.json', `${JSON.stringify(event, null, 4)}\n`);
}

// ------------------------------------------------------------ server logs

/** NanoMDM before NanoLIB: Go's log prefix, the server's local time to the second, no zone. */
export const goLog = (t: string, rest: string) => `${t.replace(/-/g, '/').replace('T', ' ')} ${rest}`;
/** NanoMDM with NanoLIB: `ts=` in UTC first. */
export const nanoLib = (t: string, rest: string) => `ts=${t}Z ${rest}`;

/** The lines NanoMDM writes when its push API is called for one device (pre-NanoLIB wording); its topic line names no device. */
export function nanoPush(stamp: (t: string, rest: string) => string, t: string, udid: string, topic = TOPIC): string[] {
  return [
    stamp(t, `level=info handler=log addr=127.0.0.1 method=GET path=/v1/push/${udid} agent=curl/8.4.0`),
    stamp(t, `level=info service=push msg=retrieved push cert topic=${topic}`),
    stamp(t, 'level=debug handler=push msg=push count=1 errs=0'),
  ];
}

/** A device polling after a push: the HTTP line, its Idle, and the server having nothing for it. */
export function nanoIdle(stamp: (t: string, rest: string) => string, t: string, udid: string): string[] {
  return [
    stamp(t, 'level=info handler=log addr=::1 method=PUT path=/mdm agent=MDM/1.0 real_ip=198.51.100.7'),
    stamp(t, `level=info service=nanomdm status=Idle id=${udid} type=Device`),
    stamp(t, `level=debug service=nanomdm msg=no command retrieved id=${udid}`),
  ];
}

export function nanoTokenUpdate(stamp: (t: string, rest: string) => string, t: string, udid: string): string[] {
  return [
    stamp(t, 'level=info handler=log addr=::1 method=PUT path=/mdm/checkin agent=MDM/1.0 real_ip=198.51.100.7'),
    stamp(t, `level=info service=nanomdm msg=TokenUpdate id=${udid} type=Device`),
  ];
}

/** A device leaving MDM: the check-in request and NanoMDM's CheckOut line. */
export function nanoCheckOut(stamp: (t: string, rest: string) => string, t: string, udid: string): string[] {
  return [
    stamp(t, 'level=info handler=log addr=::1 method=PUT path=/mdm/checkin agent=MDM/1.0 real_ip=198.51.100.7'),
    stamp(t, `level=info service=nanomdm msg=CheckOut id=${udid} type=Device`),
  ];
}

/** MicroMDM's push log line (go-kit logfmt, UTC `ts`): `id` is the apns-id APNs handed back. */
/** A NanoMDM log of one device: its TokenUpdate at 09:00, a push at 10:00 and the Idle poll that answered it. */
export const answeredPushLog = (udid: string) =>
  file(
    'nanomdm.log',
    `${[
      ...nanoTokenUpdate(nanoLib, '2026-11-20T09:00:00', udid),
      ...nanoPush(nanoLib, '2026-11-20T10:00:00', udid),
      ...nanoIdle(nanoLib, '2026-11-20T10:00:02', udid),
    ].join('\n')}\n`,
  );

/** The push values the server uses, pasted as an engineer would (`--topic`, `--magic`, `--token`), and the moment of the diagnosis. */
/** What `plutil -p MDM.plist` prints for a device enrolled with TOPIC and holding MAGIC (no newline after it). */
export const PLUTIL_MDM_PLIST = `{
  "AccessRights" => 8191
  "CheckInURL" => "https://mdm.example.test/mdm/checkin"
  "LastPollingAttempt" => 2026-11-30 09:40:11 +0000
  "LastPollingSuccess" => 2026-11-30 09:40:11 +0000
  "PushMagic" => "${MAGIC}"
  "ServerURL" => "https://mdm.example.test/mdm/connect"
  "Topic" => "${TOPIC}"
  "UseDevelopmentAPNS" => false
}`;

export const serverValues = (now: string) => ['--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN, '--now', now];

export const microPush = (t: string, udid: string, apnsId: string) =>
  `level=info ts=${t}Z caller=push.go:80 component=apns method=Push udid=${udid} id=${apnsId} err=null took=183.2ms`;

/** A line of Jamf Pro's JAMFSoftwareServer.log (log4j: the server's local time with milliseconds, no zone). */
export const jamf = (t: string, level: string, logger: string, msg: string) =>
  `${t} [${level.padEnd(5)}] [duledPool-3    ] [${logger.padEnd(25).slice(0, 25)}] - ${msg}`;

/** Jamf Pro's PushNotificationSender sending a device's MDM push; `who` is Jamf's own id as it writes it ("Device ID: 412", "Computer ID: 42"). */
export const jamfSending = (t: string, who: string, udid: string) =>
  jamf(t, 'INFO', 'PushNotificationSender', `Sending MDM push notification. ${who}, UDID: ${udid}, Topic: ${TOPIC}`);
/** Jamf Pro's line with APNs's answer to that push. */
export const jamfAnswered = (t: string, who: string, udid: string, status: string, apnsId = '5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b') =>
  jamf(t, 'INFO', 'PushNotificationSender', `APNs response. ${who}, UDID: ${udid}, Status: ${status}, apns-id: ${apnsId}`);

// ------------------------------------------------------------ device side

/** `log show --style default` lines of mdmd / mdmclient, with the Mac's (or device's) offset. */
export function logShow(lines: [time: string, proc: string, message: string][]): string {
  return [
    'Filtering the log data using "process == "mdmd" OR process == "mdmclient" OR process == "apsd""',
    'Timestamp                       Thread     Type        Activity             PID    TTL  ',
    ...lines.map(
      ([t, proc, msg], i) => `${t} 0x${(0x2f10 + i).toString(16)}     Default     0x0                  ${proc === 'apsd' ? 98 : 231}    0    ${proc}: ${msg}`,
    ),
    '',
  ].join('\n');
}

export const REJECTED = 'Rejecting MDM push dictionary because it does not have the right magic string.';

interface SysdiagnoseOptions {
  /** Folder name time, e.g. 2024.05.07_09-02-00+0000 (sysdiagnose writes the device's offset). */
  taken: string;
  magic?: string;
  lastPollingSuccess?: string;
  mismatchMarker?: string;
  installed?: string;
  /** Logging profiles and their install dates. */
  logging?: { kind: 'ManagedConfiguration' | 'APNS'; installed: string }[];
}

function stub(payload: Record<string, unknown>, installed: string, name: string): Buffer {
  return Buffer.from(
    plist.buildBinary({
      PayloadContent: [payload],
      PayloadDisplayName: name,
      PayloadIdentifier: `com.example.${name.replace(/\W+/g, '.').toLowerCase()}`,
      PayloadType: 'Configuration',
      PayloadUUID: '3B1D2C4E-5F6A-4B7C-8D9E-0A1B2C3D4E5F',
      PayloadVersion: 1,
      InstallDate: new Date(installed),
    } as never),
  );
}

/** A sysdiagnose .tar.gz with the binary MDM.plist and profile stubs a device holds. */
export function sysdiagnose(o: SysdiagnoseOptions): string {
  const root = `sysdiagnose_${o.taken}_iPhone-OS_iPhone_21E236`;
  const mdm: Record<string, unknown> = {
    AccessRights: 8191,
    CheckInURL: 'https://mdm.example.test/mdm/checkin',
    ServerURL: 'https://mdm.example.test/mdm/connect',
    PushMagic: o.magic ?? MAGIC,
    LastPushTokenHash: TOKEN_HASH,
    Topic: TOPIC,
    UseDevelopmentAPNS: false,
    SignMessage: true,
    ...(o.lastPollingSuccess ? { LastPollingSuccess: new Date(o.lastPollingSuccess), LastPollingAttempt: new Date(o.lastPollingSuccess) } : {}),
    ...(o.mismatchMarker ? { PushMagicMismatchDateMarker: new Date(o.mismatchMarker) } : {}),
  };
  const entries = [
    { path: `${root}/`, type: 'dir' as const },
    { path: `${root}/logs/MCState/Shared/MDM.plist`, data: Buffer.from(plist.buildBinary(mdm as never)) },
    {
      path: `${root}/logs/MCState/Shared/profile-5d1f0a2b3c4e.stub`,
      data: stub(
        {
          PayloadType: 'com.apple.mdm',
          PayloadIdentifier: 'com.example.mdm',
          Topic: TOPIC,
          ServerURL: mdm.ServerURL,
          CheckInURL: mdm.CheckInURL,
          IdentityCertificateUUID: '0C1D2E3F-4A5B-4C6D-8E7F-9A0B1C2D3E4F',
        },
        o.installed ?? '2023-05-02T10:00:00Z',
        'Example MDM',
      ),
    },
    ...(o.logging ?? []).map((l, i) => ({
      path: `${root}/logs/MCState/Shared/profile-logging-${i}.stub`,
      data: stub(
        l.kind === 'ManagedConfiguration'
          ? {
              PayloadType: 'com.apple.system.logging',
              PayloadIdentifier: 'com.apple.logging.managedconfiguration',
              Subsystems: { 'com.apple.ManagedConfiguration': { 'DEFAULT-OPTIONS': { Level: { Enable: 'Debug' } } } },
            }
          : {
              PayloadType: 'com.apple.system.logging',
              PayloadIdentifier: 'com.apple.logging.apsd',
              Subsystems: { 'com.apple.apsd': { 'DEFAULT-OPTIONS': { Level: { Enable: 'Debug' } } } },
            },
        l.installed,
        `${l.kind} Logging`,
      ),
    })),
    { path: `${root}/system_logs.logarchive/00/0000000000000001.tracev3`, data: Buffer.alloc(4096, 7) },
  ];
  return file(`${root}.tar.gz`, tgz(entries));
}

// ------------------------------------------------------------ running it

// biome-ignore lint/suspicious/noExplicitAny: the parsed JSON report, read key by key in assertions
export type Json = Record<string, any>;

/** `pushcheck diagnose … --format json`, as a user runs it. */
export async function diagnose(...argv: string[]): Promise<Json> {
  const r = await cli('diagnose', ...argv, '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
}

export const cause = (r: Json, id: string) => r.causes.find((c: Json) => c.id === id) as Json | undefined;
export const facts = (r: Json, name: string) => r.facts.filter((f: Json) => f.fact === name) as Json[];
export const note = (r: Json, id: string) => r.notes.find((x: Json) => x.id === id) as Json | undefined;
export const questionIds = (r: Json) => r.questions.map((q: Json) => q.id) as string[];
/** The ids of a cause's rules whose conditions held. */
export const heldRules = (c: Json | undefined) =>
  (c?.rules ?? []).filter((r: { result: unknown }) => r.result === true).map((r: { id: string }) => r.id) as string[];

/** Every question an app push case asks, answered as a team that checked each one would: the app side has nothing left open. */
export const APP_CHECKED_ANSWERS = [
  'q.apns.registration=token',
  'q.apns.app_id_push=yes',
  'q.apns.token_environment=production',
  'q.apns.token_fresh=yes',
  'q.apns.app_installed=yes',
  'q.apns.other_network=no',
  'q.apns.some_delivered=no',
  'q.apns.burst=no',
  'q.mdm.network_ok=yes',
].flatMap((a) => ['--answer', a]);

/** The production push certificate of com.example.demo, valid over the times given, attached as app-push.pem. */
export const appPushCertificate = (notBefore: string, notAfter: string) =>
  file(
    'app-push.pem',
    pem(
      pushCertificate({
        uid: 'com.example.demo',
        cn: 'Apple Push Services: com.example.demo',
        notBefore,
        notAfter,
        production: true,
        topics: ['com.example.demo'],
      }),
    ),
  );

/** An app case every other cause of which someone checked: the app's entitlements, its payload, its certificate, the answers. */
export const checkedAppCase = () => [
  fileURLToPath(new URL('../fixtures/apns/codesign_dict_production.txt', import.meta.url)),
  file('payload.json', '{"aps":{"alert":"Your order shipped"}}\n'),
  appPushCertificate('2026-01-01T10:00:00Z', '2027-06-01T10:00:00Z'),
  ...APP_CHECKED_ANSWERS,
  ...['--answer', 'q.apns.provider_host=production', '--answer', 'q.apns.cert_reloaded=yes', '--now', '2026-11-21T00:00:00Z'],
];

/**
 * The case where an answer and the evidence disagree on the device's MDM enrollment: the disagreement is the
 * headline, and the unenrolled cause stays open, contested, whichever way round they disagree.
 */
export function expectEnrollmentContested(r: Json, answered: 'yes' | 'no', evidence: 'yes' | 'no'): void {
  expect(r.conflicts.map((k: { fact: string }) => k.fact)).toContain('device.mdm_enrolled');
  const unenrolled = cause(r, 'mdm.unenrolled');
  expect(unenrolled?.status).toBe('open');
  expect(unenrolled?.contested).toEqual(['device.mdm_enrolled']);
  expect(unenrolled?.because.join(' ')).toMatch(/disagree/);
  expect(r.headline).toMatch(/^An answer and the evidence disagree on whether the device holds an MDM enrollment/);
  expect(r.headline).toMatch(new RegExp(`q\\.mdm\\.enrolled says ${answered}, the evidence shows ${evidence}`));
}

/**
 * An app server's APNs provider log as the tests write it: a line a second from 2026-11-20 10:00 UTC, each push
 * with an apns-id of its own, every push on `topic`.
 */
export function providerLogLines(topic = 'com.example.demo') {
  const lines: string[] = [];
  let s = 0;
  const at = () => new Date(Date.UTC(2026, 10, 20, 10, 0, 0) + 1000 * s++).toISOString();
  const id = () =>
    createHash('md5')
      .update(`push ${s}`)
      .digest('hex')
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  return {
    lines,
    accepted: (token: string) => lines.push(`${at()} INFO  apns: sent apns-id=${id()} token=${token} topic=${topic} status=200`),
    refused: (token: string, status: number, reason: string) =>
      lines.push(`${at()} WARN  apns: apns-id=${id()} token=${token} topic=${topic} status=${status} reason=${reason}`),
    text: () => `${lines.join('\n')}\n`,
  };
}
