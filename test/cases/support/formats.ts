import { createHash } from 'node:crypto';
import * as plist from 'plist';
import { tgz, zip } from '../../archive/support.js';
import { pem, pushCertificate } from '../../apns/certs.js';

/**
 * Evidence in the forms support engineers hand it over, written by us from
 * the formats the tools print. Every value is made up. Nothing here knows a
 * verdict: the cases say what they expect.
 */

// ------------------------------------------------------------ values

export const sha256hex = (hexToken: string) => createHash('sha256').update(Buffer.from(hexToken, 'hex')).digest('hex');
export const mdmTopic = (uuid: string) => `com.apple.mgmt.External.${uuid}`;

// ------------------------------------------------------------ MDM server logs

/** Go's standard log prefix (NanoMDM, MicroMDM before structured logging): local time to the second, no zone. */
export const go = (t: string, rest: string) => `${t.slice(0, 19).replace(/-/g, '/').replace('T', ' ')} ${rest}`;
/** NanoMDM with NanoLIB: logfmt with a UTC `ts=` first. */
export const nanoLib = (t: string, rest: string) => `ts=${t}Z ${rest}`;

/** NanoMDM's lines for an API push to one device; `err` is the APNs answer as nanopush words it. */
export function nanoPush(stamp: (t: string, rest: string) => string, t: string, id: string, topic: string, err?: string): string[] {
  return [
    stamp(t, `level=info handler=log addr=127.0.0.1 method=GET path=/v1/push/${id} agent=curl/8.4.0`),
    stamp(t, `level=info service=push msg=retrieved push cert topic=${topic}`),
    err
      ? stamp(t, `level=info handler=push msg=push errs=1 id_count=1 id_first=${id} err="${err}"`)
      : stamp(t, 'level=debug handler=push msg=push count=1 errs=0'),
  ];
}

/** A device's poll after a push: the HTTP access line, its status, and what the server did next. */
export function nanoStatus(
  stamp: (t: string, rest: string) => string,
  t: string,
  id: string,
  status: 'Idle' | 'Acknowledged' | 'NotNow' | 'Error',
  extra = '',
): string[] {
  return [
    stamp(t, 'level=info handler=log addr=::1 method=PUT path=/mdm agent=MDM/1.0 real_ip=198.51.100.7'),
    stamp(t, `level=info service=nanomdm status=${status} id=${id} type=Device${extra}`),
  ];
}

export function nanoCheckin(stamp: (t: string, rest: string) => string, t: string, id: string, msg: 'Authenticate' | 'TokenUpdate' | 'CheckOut'): string[] {
  return [
    stamp(t, 'level=info handler=log addr=::1 method=PUT path=/mdm/checkin agent=MDM/1.0 real_ip=198.51.100.7'),
    stamp(t, `level=info service=nanomdm msg=${msg} id=${id} type=Device`),
  ];
}

/** MicroMDM's go-kit push line: `id` is the apns-id APNs returned; `err` its error, if any. */
export const microPush = (t: string, udid: string, apnsId: string | null, err: string | null = null) =>
  `level=info ts=${t}Z caller=push.go:80 component=apns method=Push udid=${udid}${apnsId ? ` id=${apnsId}` : ''} err=${err === null ? 'null' : JSON.stringify(err)} took=183.2ms`;

/** MicroMDM's command-response line (logfmt, UTC). */
export const microStatus = (t: string, udid: string, status: string, commandUuid: string, requestType?: string) =>
  `level=info ts=${t}Z component=command udid=${udid} command_uuid=${commandUuid}${requestType ? ` request_type=${requestType}` : ''} status=${status}`;

/** Fleet's JSON log lines (one object per line). */
export const fleetJson = (t: string, fields: Record<string, unknown>) => JSON.stringify({ ts: `${t}Z`, level: 'info', ...fields });

// ------------------------------------------------------------ device logs

type Line = [time: string, proc: 'apsd' | 'mdmd' | 'mdmclient' | 'profiled', message: string];
const PID = { apsd: 98, mdmd: 231, mdmclient: 611, profiled: 412 } as const;

/** `log show --style default` (with the offset the device was in). */
export function logShowDefault(lines: Line[], predicate = 'process == "mdmd" OR process == "mdmclient" OR process == "apsd"'): string {
  return [
    `Filtering the log data using "${predicate}"`,
    'Timestamp                       Thread     Type        Activity             PID    TTL  ',
    ...lines.map(([t, proc, msg], i) => `${t} 0x${(0x2f10 + i).toString(16)}     Default     0x0                  ${PID[proc]}    0    ${proc}: ${msg}`),
    '',
  ].join('\n');
}

/** `log show --style syslog`. */
export function logShowSyslog(lines: Line[], host = 'Annas-iPhone'): string {
  return `${lines.map(([t, proc, msg]) => `${t}  ${host} ${proc}[${PID[proc]}]: ${msg}`).join('\n')}\n`;
}

/** `log show --style ndjson`. */
export function logShowNdjson(lines: Line[]): string {
  const path = {
    apsd: '/System/Library/PrivateFrameworks/ApplePushService.framework/apsd',
    mdmd: '/usr/libexec/mdmd',
    mdmclient: '/usr/libexec/mdmclient',
    profiled: '/usr/libexec/profiled',
  };
  const events = lines.map(([t, proc, msg]) =>
    JSON.stringify({ timestamp: t, messageType: 'Default', eventType: 'logEvent', processImagePath: path[proc], processID: PID[proc], eventMessage: msg }),
  );
  return `${events.join('\n')}\n`;
}

/** `log show --style compact` (no offset written). */
export function logShowCompact(lines: Line[]): string {
  return `${['Timestamp               Ty Process[PID:TID]', ...lines.map(([t, proc, msg]) => `${t.slice(0, 23)} Df ${proc}[${PID[proc]}:3c1f] ${msg}`)].join('\n')}\n`;
}

export const REJECTED = 'Rejecting MDM push dictionary because it does not have the right magic string.';

// ------------------------------------------------------------ device bundles

export interface DeviceState {
  /** Folder-name time, e.g. 2024.05.07_09-02-00+0000. */
  taken: string;
  topic?: string;
  magic?: string;
  tokenHash?: string;
  lastPollingSuccess?: string;
  mismatchMarker?: string;
  mdmInstalled?: string;
  /** No MDM.plist and no MDM profile: the device is not enrolled. */
  unenrolled?: boolean;
  logging?: { kind: 'ManagedConfiguration' | 'APNS'; installed: string }[];
  /** Further members, e.g. a `log show` export someone added. */
  extra?: { path: string; data: string | Buffer }[];
  model?: string;
}

function stub(payload: Record<string, unknown>, installed: string, name: string): Buffer {
  return Buffer.from(
    plist.buildBinary({
      PayloadContent: [payload],
      PayloadDisplayName: name,
      PayloadIdentifier: `com.example.${name.replace(/\W+/g, '.').toLowerCase()}`,
      PayloadType: 'Configuration',
      PayloadUUID: '9C1E2D3F-4A5B-4C6D-8E7F-0A1B2C3D4E5F',
      PayloadVersion: 1,
      InstallDate: new Date(installed),
    } as never),
  );
}

/** A sysdiagnose .tar.gz as iOS writes it: binary MDM.plist and profile stubs, a log archive beside them. */
export function sysdiagnose(o: DeviceState): { name: string; data: Buffer } {
  const root = `sysdiagnose_${o.taken}_iPhone-OS_${o.model ?? 'iPhone'}_21F90`;
  const entries: { path: string; data?: Buffer | string; type?: 'dir' }[] = [{ path: `${root}/`, type: 'dir' }];
  if (!o.unenrolled) {
    const mdm: Record<string, unknown> = {
      AccessRights: 8191,
      CheckInURL: 'https://mdm.example.test/mdm/checkin',
      ServerURL: 'https://mdm.example.test/mdm/connect',
      ...(o.magic ? { PushMagic: o.magic } : {}),
      ...(o.tokenHash ? { LastPushTokenHash: Buffer.from(o.tokenHash, 'hex') } : {}),
      ...(o.topic ? { Topic: o.topic } : {}),
      UseDevelopmentAPNS: false,
      SignMessage: true,
      ...(o.lastPollingSuccess ? { LastPollingSuccess: new Date(o.lastPollingSuccess), LastPollingAttempt: new Date(o.lastPollingSuccess) } : {}),
      ...(o.mismatchMarker ? { PushMagicMismatchDateMarker: new Date(o.mismatchMarker) } : {}),
    };
    entries.push(
      { path: `${root}/logs/MCState/Shared/MDM.plist`, data: Buffer.from(plist.buildBinary(mdm as never)) },
      {
        path: `${root}/logs/MCState/Shared/profile-7a1c3e5b9d2f.stub`,
        data: stub(
          {
            PayloadType: 'com.apple.mdm',
            PayloadIdentifier: 'com.example.mdm',
            Topic: o.topic,
            ServerURL: mdm.ServerURL,
            CheckInURL: mdm.CheckInURL,
            IdentityCertificateUUID: '0C1D2E3F-4A5B-4C6D-8E7F-9A0B1C2D3E4F',
          },
          o.mdmInstalled ?? '2023-05-02T10:00:00Z',
          'Example MDM',
        ),
      },
    );
  }
  (o.logging ?? []).forEach((l, i) =>
    entries.push({
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
    }),
  );
  for (const x of o.extra ?? []) entries.push({ path: `${root}/${x.path}`, data: x.data });
  entries.push({ path: `${root}/system_logs.logarchive/00/0000000000000001.tracev3`, data: Buffer.alloc(4096, 7) });
  return { name: `${root}.tar.gz`, data: tgz(entries) };
}

/** An MDM check-in as the server stored it (XML plist, the device's PUT body). */
export function checkin(fields: Record<string, string>, data: Record<string, Buffer> = {}): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = [
    ...Object.entries(fields).map(([k, v]) => `\t<key>${k}</key>\n\t<string>${esc(v)}</string>`),
    ...Object.entries(data).map(([k, v]) => `\t<key>${k}</key>\n\t<data>\n\t${v.toString('base64')}\n\t</data>`),
  ].join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n${body}\n</dict>\n</plist>\n`;
}

/** An MDM push certificate (subject UID = topic, CN = APSP:<uuid>) as PEM. */
export function mdmPushCert(topic: string, notBefore: string, notAfter: string): string {
  return pem(pushCertificate({ uid: topic, cn: `APSP:${topic.split('.').pop()}`, notBefore, notAfter }));
}

/** An app push certificate ("Apple Push Services: <bundle id>"). */
export function appPushCert(bundleId: string, notBefore: string, notAfter: string, env: { development?: boolean; production?: boolean }): string {
  return pem(pushCertificate({ uid: bundleId, cn: `Apple Push Services: ${bundleId}`, notBefore, notAfter, ...env, topics: [bundleId] }));
}

/** A Secure Mail "send logs" zip. */
export function secureMailZip(members: { name: string; data: string | Buffer }[]): Buffer {
  return zip(members.map((m) => ({ path: `SecureMailLogs/${m.name}`, data: m.data, deflate: true })));
}
