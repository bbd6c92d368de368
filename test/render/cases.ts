import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tgz } from '../archive/support.js';
import { buildZip } from '../securemail/zip.js';

/**
 * Six cases a support engineer brings, one per kind of problem, one that
 * ends in Apple Feedback and one with several devices in the server's log,
 * each as the files and pastes they would really have.
 */
export interface RenderCase {
  name: string;
  /** Files and archives, as paths on disk. */
  paths: string[];
  /** Text pasted in (the server's values), if any. */
  paste?: string;
  /** Answers a person gave: question id → value. */
  answers?: Record<string, string>;
  /** One cause found, nothing else to read: the report must be short. */
  typical: boolean;
}

const FIXTURES = new URL('../fixtures/', import.meta.url);
const fixture = (p: string) => readFileSync(new URL(p, FIXTURES));

const TOPIC = 'com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9';
const MAGIC = '5A1C0E2B-77D4-4F1A-9C3E-0D8B61F2A4C7';
const OLD_MAGIC = '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03';
const TOKEN = '3f1b9a2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8';

interface DeviceState {
  /** When mdmd noted a wrong-magic push (PushMagicMismatchDateMarker); absent when it never did. */
  mismatchAt?: string;
  lastPoll: string;
  lastPollOk: string;
}

function mdmPlist(state: DeviceState): string {
  const hash = createHash('sha256').update(Buffer.from(TOKEN, 'hex')).digest('base64');
  const plist = fixture('mdm/MDM.plist')
    .toString('utf8')
    .replace(/(<key>LastPushTokenHash<\/key>\s*<data>)[^<]*(<\/data>)/, `$1${hash}$2`)
    .replace(/(<key>PushMagic<\/key>\s*<string>)[^<]*(<\/string>)/, `$1${MAGIC}$2`)
    .replace(/(<key>LastPollingAttempt<\/key>\s*<date>)[^<]*(<\/date>)/, `$1${state.lastPoll}$2`)
    .replace(/(<key>LastPollingSuccess<\/key>\s*<date>)[^<]*(<\/date>)/, `$1${state.lastPollOk}$2`);
  return state.mismatchAt
    ? plist.replace(/(<key>PushMagicMismatchDateMarker<\/key>\s*<date>)[^<]*(<\/date>)/, `$1${state.mismatchAt}$2`)
    : plist.replace(/\s*<key>PushMagicMismatchDateMarker<\/key>\s*<date>[^<]*<\/date>/, '');
}

/** A sysdiagnose as the device writes it: one folder named after it (with the device's UTC offset), the MDM state and logs inside. */
function sysdiagnose(dir: string, file: string, log: string, state: DeviceState): string {
  const root = 'sysdiagnose_2025.11.21_09-20-11-0800_iPhone-OS_iPhone_22B83';
  const path = join(dir, file);
  writeFileSync(
    path,
    tgz([
      { path: `${root}/`, type: 'dir' },
      { path: `${root}/logs/MCState/Shared/MDM.plist`, data: mdmPlist(state) },
      { path: `${root}/logs/MCState/Shared/profile-3f9a1c0e5b7d2e4f6a8b0c1d2e3f4a5b.stub`, data: fixture('mdm/profile-3f9a1c0e5b7d2e4f6a8b0c1d2e3f4a5b.stub') },
      { path: `${root}/logs/mdm/mdmd_excerpt.log`, data: log },
    ]),
  );
  return path;
}

const LOG_HEAD = 'Timestamp                       Thread     Type        Activity             PID    TTL';
const rejection = (t: string) =>
  `${t} 0x1a2b     Default     0x0                  231    0    mdmd: Rejecting MDM push dictionary because it does not have the right magic string.`;
const courier = (t: string) => `${t} 0x1a2c     Default     0x0                  98     0    apsd: Connected to courier 12-courier.push.apple.com`;

const serverValues = (magic: string) =>
  `What the MDM server holds for this device:\nserver topic: ${TOPIC}\nserver PushMagic: ${magic}\nserver token: ${TOKEN}\n`;

export function buildCases(): RenderCase[] {
  const dir = mkdtempSync(join(tmpdir(), 'pushcheck-render-'));
  const write = (name: string, data: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };

  // MDM: the device rejects every push for its magic, three times in the log, and the server's record holds an old PushMagic.
  const mdmLog = [
    LOG_HEAD,
    courier('2025-11-21 08:59:58.000000-0800'),
    rejection('2025-11-21 09:01:02.123456-0800'),
    rejection('2025-11-21 09:07:40.000000-0800'),
    rejection('2025-11-21 09:14:05.500000-0800'),
    '',
  ].join('\n');
  // The device noted the first wrong-magic push (MDM.plist) when mdmd logged it, and has not reached the server since the day before.
  const rejecting: DeviceState = { mismatchAt: '2025-11-21T17:01:02Z', lastPoll: '2025-11-21T16:40:00Z', lastPollOk: '2025-11-19T22:10:00Z' };
  const mdm: RenderCase = {
    name: 'mdm',
    paths: [sysdiagnose(dir, 'sysdiagnose_iPhone.tar.gz', mdmLog, rejecting)],
    paste: serverValues(OLD_MAGIC),
    typical: true,
  };

  // App push: the app was signed without aps-environment; the provider's pushes are accepted.
  const provider = [
    '2026-11-20T10:00:00.120Z INFO  apns: connecting to api.push.apple.com:443',
    '2026-11-20T10:00:01.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c apns-topic=com.example.demo apns-push-type=alert status=200',
    '2026-11-20T10:05:01.004Z INFO  apns: sent apns-id=6f4c2b3d-1e5a-4f7b-8c9d-0e1f2a3b4c5d apns-topic=com.example.demo apns-push-type=alert status=200',
    '',
  ].join('\n');
  const apns: RenderCase = {
    name: 'apns',
    paths: [write('codesign-Demo.txt', fixture('apns/codesign_dict_no_aps.txt')), write('provider.log', provider)],
    typical: true,
  };

  // NotNow: the server's log shows a command answered NotNow, then the device answering the next one.
  const notnow: RenderCase = { name: 'notnow', paths: [write('nanomdm.log', fixture('notnow/nanomdm_notnow_then_acknowledged.log'))], typical: true };

  // Secure Mail: "Send logs" from a phone whose policies switch push off.
  const appLog = [
    'Date,Category,Module,Message',
    '21-Nov-2025 09:00:00:000 (+0100),INFO,Secure Mail.Application,Application did become active',
    '21-Nov-2025 09:00:00:100 (+0100),INFO,Secure Mail.APNS,Push notifications are disabled by policy; not subscribing',
    '21-Nov-2025 09:00:05:000 (+0100),INFO,Secure Mail.ActiveSync,Sync completed',
  ].join('\r\n');
  const securemail: RenderCase = {
    name: 'securemail',
    paths: [
      write(
        'SecureMail_logs.zip',
        buildZip([
          { name: 'SecureMailLogs/CtxLog_AppPolicies.xml', data: fixture('securemail/push_off/CtxLog_AppPolicies.xml') },
          { name: 'SecureMailLogs/CTXLog_backgroundFetchSchedule.csv', data: fixture('securemail/no_push/CTXLog_backgroundFetchSchedule.csv') },
          { name: 'SecureMailLogs/CtxLog_SecureMail.csv', data: appLog },
        ]),
      ),
    ],
    typical: true,
  };

  // Escalation: device and server agree on topic, token and magic, the device holds its push connection, APNs answered 200.
  const quietLog = [LOG_HEAD, courier('2025-11-21 08:59:58.000000-0800'), ''].join('\n');
  const escalation: RenderCase = {
    name: 'escalation',
    paths: [sysdiagnose(dir, 'sysdiagnose_quiet.tar.gz', quietLog, { lastPoll: '2025-11-21T16:55:00Z', lastPollOk: '2025-11-21T16:55:00Z' })],
    paste: serverValues(MAGIC),
    answers: { 'q.mdm.push_soon_after_enrollment': 'no', 'q.mdm.push_status': '200', 'q.mdm.network_ok': 'yes', 'q.mdm.server_reachable': 'yes' },
    typical: false,
  };

  // Several devices: one push to three devices, two answer; the third (whose sysdiagnose is attached) never does, and the server holds an old magic for it.
  const [A, B, C] = ['00008110-000A1C2E3F40801E', '00008030-001C25E43A0B802E', '00008101-0012345A1E90001E'];
  const fleet = [
    `ts=2025-11-20T17:00:00Z level=info handler=log trace_id=aa01 addr=127.0.0.1 method=GET path=/v1/push/${A},${B},${C} agent=curl/8.4.0 caller=trace.go:57`,
    'ts=2025-11-20T17:00:00Z level=debug handler=push trace_id=aa01 msg=push count=3 errs=0 caller=push.go:60',
    `ts=2025-11-20T17:00:01Z level=info service=nanomdm trace_id=aa02 id=${A} type=Device status=Idle caller=service.go:215`,
    `ts=2025-11-20T17:00:03Z level=info service=nanomdm trace_id=aa03 id=${C} type=Device status=Idle caller=service.go:215`,
    `ts=2025-11-20T21:00:00Z level=info handler=log trace_id=aa04 addr=127.0.0.1 method=GET path=/v1/push/${B} agent=curl/8.4.0 caller=trace.go:57`,
    'ts=2025-11-20T21:00:00Z level=debug handler=push trace_id=aa04 msg=push count=1 errs=0 caller=push.go:60',
    `ts=2025-11-21T09:00:00Z level=info handler=log trace_id=aa05 addr=127.0.0.1 method=GET path=/v1/push/${B} agent=curl/8.4.0 caller=trace.go:57`,
    'ts=2025-11-21T09:00:00Z level=debug handler=push trace_id=aa05 msg=push count=1 errs=0 caller=push.go:60',
    '',
  ].join('\n');
  const devices: RenderCase = {
    name: 'several-devices',
    paths: [write('nanomdm-fleet.log', fleet), sysdiagnose(dir, 'sysdiagnose_B.tar.gz', mdmLog, rejecting)],
    paste: serverValues(OLD_MAGIC),
    typical: false,
  };

  return [mdm, apns, notnow, securemail, escalation, devices];
}
