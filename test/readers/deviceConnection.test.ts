import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPath } from '../../src/evidence/read.js';
import { heldRules, run, statusOf as engineStatus } from '../rules/helpers.js';
import { ctx, named, one, scan } from '../text/helpers.js';
import { cause, diagnoseJson, facts, sample, statusOf } from './helpers.js';

/**
 * Seed 001 (TN2265) "Observing Push Status Messages" and seed 000's network
 * cause: apsd's own lines show the device cannot hold its push connection.
 * The same failure is read in every form people share a device log in.
 */
const M =
  'Task <5C0E7A91-2B44-4F0D-9E3A-61D7C2B8F014>.<1> finished with error [-1003] Error Domain=NSURLErrorDomain Code=-1003 "A server with the specified hostname could not be found."';
const APSD = '/System/Library/PrivateFrameworks/ApplePushService.framework/apsd';
const CSV_HEADER =
  'Timestamp,Event Type,Log Type,Subsystem,Thread ID,PID,EUID,Library,Library UUID,Activity ID,Parent Activity ID,Category,Process,Process UUID,Message,Raw Message,Boot UUID,System Timezone Name';
const csvRow = (msg: string) =>
  `2026-11-21T01:24:12.758Z,Log,Error,com.apple.apsd,5120,141,0,${APSD},1A2B,0,0,connection,${APSD},0F1E,"${msg.replace(/"/g, '""')}",%@,9B2C,Los_Angeles`;

const FORMS: [string, string, string | undefined, string | undefined][] = [
  [
    'log show, default style',
    `2026-11-20 17:24:12.758038-0800 0x2b5      Error       0x0                  141    0    apsd: ${M}`,
    '2026-11-21T01:24:12.758Z',
    '-08:00',
  ],
  ['log show --style compact (local time, no offset)', `2026-11-20 17:24:12.758 E  apsd[141:2b5] ${M}`, '2026-11-20T17:24:12.758Z', 'unknown'],
  ['log show --style syslog', `2026-11-20 17:24:12.758038-0800  localhost apsd[141]: (CFNetwork) ${M}`, '2026-11-21T01:24:12.758Z', '-08:00'],
  [
    'log show --style ndjson',
    JSON.stringify({
      timestamp: '2026-11-20 17:24:12.758038-0800',
      eventMessage: M,
      processImagePath: APSD,
      subsystem: 'com.apple.apsd',
      category: 'connection',
    }),
    '2026-11-21T01:24:12.758Z',
    '-08:00',
  ],
  [
    'log show --style json',
    ['[{', `  "timestamp" : "2026-11-20 17:24:12.758038-0800",`, `  "eventMessage" : ${JSON.stringify(M)},`, `  "processImagePath" : "${APSD}"`, '}]'].join(
      '\n',
    ),
    '2026-11-21T01:24:12.758Z',
    '-08:00',
  ],
  ['iOS syslog (no year: no time is guessed)', `Nov 20 17:24:12 Johns-iPhone apsd[141] <Error>: ${M}`, undefined, undefined],
  ['Console / Xcode copy, tab separated', `error\t17:24:12.758038-0800\tapsd\t${M}`, undefined, '-08:00'],
  ['Console / Xcode copy pasted with spaces', `error 17:24:12.758038-0800  apsd  ${M}`, undefined, '-08:00'],
  ['Mandiant unifiedlog_iterator CSV', `${CSV_HEADER}\n${csvRow(M)}`, '2026-11-21T01:24:12.758Z', undefined],
  [
    'Mandiant unifiedlog_iterator JSON lines',
    JSON.stringify({
      subsystem: 'com.apple.apsd',
      thread_id: 5120,
      pid: 141,
      euid: 0,
      library: APSD,
      category: 'connection',
      event_type: 'Log',
      log_type: 'Error',
      process: APSD,
      message: M,
      raw_message: '%@',
      boot_uuid: '9B2C',
      timezone_name: 'Los_Angeles',
      message_entries: [],
      timestamp: '2026-11-21T01:24:12.758000000Z',
    }),
    '2026-11-21T01:24:12.758Z',
    undefined,
  ],
];

describe('apsd failing to resolve the push hosts reads the same in every form it is shared', () => {
  it.each(FORMS)('%s', async (_form, text, at, zone) => {
    const { facts: fs, problems } = await scan(`${text}\n`, { pasted: true });
    expect(problems).toEqual([]);
    const f = one(fs, 'device.log.push_network_error');
    expect(f.attrs).toMatchObject({ kind: 'dns', code: '-1003', process: 'apsd' });
    expect(f.at).toBe(at);
    expect(f.attrs?.zone).toBe(zone);
  });
});

describe('what each apsd failure means', () => {
  const cases: [string, string, string, Record<string, string>][] = [
    [
      'offline (-1009)',
      `apsd[141]: Task <1>.<1> finished with error [-1009] Error Domain=NSURLErrorDomain Code=-1009 "The Internet connection appears to be offline."`,
      'device.log.push_network_error',
      { kind: 'offline', code: '-1009' },
    ],
    [
      'timeout (-1001)',
      `apsd[141]: Task <1>.<1> HTTP load failed, 0/0 bytes (error code: -1001 [4:-2102])`,
      'device.log.push_network_error',
      { kind: 'timeout', code: '-1001' },
    ],
    [
      'refused (-1004)',
      `apsd[141]: Error Domain=NSURLErrorDomain Code=-1004 "Could not connect to the server."`,
      'device.log.push_network_error',
      { kind: 'refused' },
    ],
    [
      'connection lost (-1005)',
      `apsd[141]: Error Domain=NSURLErrorDomain Code=-1005 "The network connection was lost."`,
      'device.log.push_network_error',
      { kind: 'unreachable' },
    ],
    [
      'TLS (-1200)',
      `apsd[141]: Error Domain=NSURLErrorDomain Code=-1200 "An SSL error has occurred and a secure connection to the server cannot be made."`,
      'device.log.push_network_error',
      { kind: 'tls' },
    ],
    [
      'TLS handshake to the courier',
      `apsd[141]: <APSTCPStream: 0x7b1>: TLS handshake failed with 17.57.146.20:5223, error: -9807`,
      'device.log.push_network_error',
      { kind: 'tls' },
    ],
    [
      'courier connection failure',
      `apsd[141]: <APSCourierConnection: 0x2>: Failed to connect to courier 23-courier.push.apple.com: timed out`,
      'device.log.push_network_error',
      { kind: 'courier' },
    ],
    [
      'no BAA certificate (virtual Mac)',
      `apsd[141]: [com.apple.apsd:courier] APSBAAClientIdentityProvider failed to obtain a BAA cert, error: Error Domain=com.apple.MobileActivation.ErrorDomain Code=-1`,
      'device.log.push_identity_failure',
      { detail: 'baa_certificate' },
    ],
    [
      'no reference key',
      `apsd[141]: (DeviceIdentity) Error Domain=com.apple.MobileActivation.ErrorDomain Code=-1 "Failed to create reference key."`,
      'device.log.push_identity_failure',
      { detail: 'device_identity' },
    ],
    [
      'a VM without guest provisioning',
      `apsd[141]: (DeviceIdentity) "Failed to copy AVP guest identity data" -> EINVAL`,
      'device.log.push_identity_failure',
      { detail: 'vm_guest_identity' },
    ],
    ['the identity obtained', `apsd[141]: [com.apple.apsd:courier] APSBAAClientIdentityProvider obtained BAA certs!`, 'device.log.push_identity_obtained', {}],
    [
      'mdmclient cannot reach the MDM server',
      `mdmclient[412]: [com.apple.ManagedClient:MDMDaemon] Error Domain=NSURLErrorDomain Code=-1003 "A server with the specified hostname could not be found."`,
      'device.log.mdm_connection_error',
      { kind: 'dns' },
    ],
  ];
  it.each(cases)('%s', async (_what, line, name, attrs) => {
    const { facts: fs } = await scan(`${line}\n`, { pasted: true });
    expect(one(fs, name).attrs).toMatchObject(attrs);
  });

  it('another process failing to resolve a host says nothing about push', async () => {
    const { facts: fs } = await scan(`error\t17:24:12.758038-0800\tnsurlsessiond\t${M}\n`, { pasted: true });
    expect(named(fs, 'device.log.push_network_error')).toEqual([]);
  });

  it('a healthy apsd line about TLS or the courier is no failure', async () => {
    const { facts: fs } = await scan(
      'apsd[141]: <APSCourier: 0x1>: Connected to courier 23-courier.push.apple.com (17.57.146.20:5223) connectionType WiFi\napsd[141]: <APSTCPStream: 0x7b1>: TLS handshake succeeded\n',
      { pasted: true },
    );
    expect(named(fs, 'device.log.push_network_error')).toEqual([]);
    expect(named(fs, 'device.log.courier_connected')).toHaveLength(1);
  });
});

describe('a support engineer pastes what Xcode or Console showed for apsd', () => {
  it('with nothing else known, the device side is broken for MDM and app pushes alike, and it is not the server', async () => {
    const r = await diagnoseJson(sample('xcode_console_apsd_dns.txt'));
    expect(r.domains).toEqual(['mdm', 'apns']);
    for (const id of ['apns.no_connection', 'mdm.network']) {
      const c = cause(r, id);
      expect(c.status).toBe('likely');
      expect(c.rules.find((x) => x.id === `${id}.device_dns`)?.result).toBe(true);
      expect(c.because.join(' ')).toMatch(/could not resolve Apple's push host names .*-1003.*17:24:12\.758038-0800/);
      expect(c.because.join(' ')).toMatch(/not the provider|the server is not at fault/);
      expect(c.nextSteps.join(' ')).toContain('DNS');
    }
  });

  it('the same copy pasted with spaces into a chat reads the same', async () => {
    const text = readFileSync(sample('console_spaced_apsd_dns.txt'), 'utf8');
    const r = await diagnoseJson('--paste', text);
    expect(statusOf(r, 'apns.no_connection')).toBe('likely');
    expect(facts(r, 'device.log.push_network_error').map((f) => f.attrs?.zone)).toEqual(['-08:00', '-08:00']);
  });

  it('when the case is an app push, only the app push cause is shown', async () => {
    const r = await diagnoseJson(sample('xcode_console_apsd_dns.txt'), '--answer', 'q.case.domain=apns');
    expect(r.domains).toEqual(['apns']);
    expect(statusOf(r, 'apns.no_connection')).toBe('likely');
    expect(statusOf(r, 'mdm.network')).toBeUndefined();
  });

  it('an offline device gets the offline steps', async () => {
    const r = await diagnoseJson(sample('console_spaced_apsd_offline.txt'));
    const c = cause(r, 'mdm.network');
    expect(c.rules.find((x) => x.id === 'mdm.network.device_offline')?.result).toBe(true);
    expect(c.nextSteps.join(' ')).toContain('no internet connection');
  });

  it('a virtual Mac that cannot obtain its push identity is told so', async () => {
    const r = await diagnoseJson(sample('log_show_vm_apsd_identity.log'));
    const c = cause(r, 'apns.no_connection');
    expect(c.rules.find((x) => x.id === 'apns.no_connection.device_identity')?.result).toBe(true);
    expect(c.nextSteps.join(' ')).toContain('virtual Mac');
    expect(cause(r, 'mdm.network').rules.find((x) => x.id === 'mdm.network.device_identity')?.result).toBe(true);
  });

  it('a connection after the failures rules the missing connection out', async () => {
    const text = `${readFileSync(sample('xcode_console_apsd_dns.txt'), 'utf8')}default\t17:25:40.001122-0800\tapsd\t<APSCourier: 0x1>: Connected to courier 23-courier.push.apple.com (17.57.146.20:5223) connectionType WiFi\n`;
    const r = await diagnoseJson('--paste', text, '--answer', 'q.case.domain=apns');
    const c = cause(r, 'apns.no_connection');
    expect(c.status).toBe('ruled_out');
    expect(c.rules.find((x) => x.id === 'apns.no_connection.device_recovered')?.result).toBe(true);
  });

  it('the unifiedlog_iterator export of a log archive is read like any device log', async () => {
    const csv = await diagnoseJson(sample('unifiedlog_iterator.csv'));
    expect(statusOf(csv, 'mdm.wrong_magic')).toBe('confirmed');
    expect(facts(csv, 'device.log.magic_rejection')[0]).toMatchObject({ at: '2026-11-20T08:14:09.550Z', attrs: { process: 'mdmclient' } });
    expect(cause(csv, 'mdm.network').status).toBe('likely');
    const jsonl = await diagnoseJson(sample('unifiedlog_iterator.jsonl'));
    expect(facts(jsonl, 'device.log.push_network_error')[0]).toMatchObject({ at: '2026-11-20T08:14:05.018Z', attrs: { kind: 'timeout' } });
    expect(cause(jsonl, 'apns.no_connection').rules.find((x) => x.id === 'apns.no_connection.device_unreachable')?.result).toBe(true);
  });

  it('a CSV that is not unifiedlog_iterator output is left to its own readers', async () => {
    const r = await readPath(sample('../securemail/healthy/CtxLog_APNS_Events.csv'), ctx);
    expect(r.facts.filter((f) => f.name.startsWith('device.log.'))).toEqual([]);
  });
});

describe('the state at the end of each log decides, rule by rule', () => {
  const file = (name: string, line: number, attrs: Record<string, string> = {}) => ({
    name,
    value: '2026-11-20T10:00:00.000Z',
    at: '2026-11-20T10:00:00.000Z',
    source: { kind: 'file' as const, input: 'sd.tgz', member: 'apsd.log', line },
    attrs,
  });
  const kinds: [string, string, Record<string, string>][] = [
    ['tls', 'device.log.push_network_error', { kind: 'tls' }],
    ['unreachable', 'device.log.push_network_error', { kind: 'refused' }],
    ['dns', 'device.log.push_network_error', { kind: 'dns' }],
    ['offline', 'device.log.push_network_error', { kind: 'offline' }],
    ['identity', 'device.log.push_identity_failure', {}],
  ];
  it.each(kinds)('a log ending in a %s failure makes both causes likely', (kind, name, attrs) => {
    const d = run([file(name, 3, attrs)]);
    expect(engineStatus(d, 'apns.no_connection')).toBe('likely');
    expect(heldRules(d, 'apns.no_connection')).toContain(`apns.no_connection.device_${kind}`);
    expect(heldRules(d, 'mdm.network')).toContain(`mdm.network.device_${kind}`);
  });

  it('a failure earlier in the log than a connection is history, not the state', () => {
    const d = run(
      [file('device.log.push_network_error', 3, { kind: 'tls' }), file('device.log.courier_connected', 9)],
      [{ question: 'q.case.domain', value: 'apns' }],
    );
    expect(engineStatus(d, 'apns.no_connection')).toBe('ruled_out');
    expect(heldRules(d, 'apns.no_connection')).toContain('apns.no_connection.device_recovered');
    expect(d.facts.find((f) => f.name === 'device.log.push_connection')?.value).toBe('up');
  });

  it('a rotated log that connects later ends the failure of an earlier one, when both times are known', () => {
    const at = (f: ReturnType<typeof file>, t: string, member: string, zone?: string) => ({
      ...f,
      value: t,
      at: t,
      source: { ...f.source, member },
      attrs: { ...f.attrs, ...(zone ? { zone } : {}) },
    });
    const earlier = at(file('device.log.push_network_error', 12, { kind: 'dns' }), '2026-11-20T10:00:00.000Z', 'PersistentConnection/apsd.0.log');
    const later = at(file('device.log.courier_connected', 3), '2026-11-20T11:00:00.000Z', 'PersistentConnection/apsd.1.log');
    const d = run([earlier, later], [{ question: 'q.case.domain', value: 'apns' }]);
    expect(d.facts.filter((f) => f.name === 'device.log.push_connection').map((f) => f.value)).toEqual(['recovered', 'up']);
    expect(engineStatus(d, 'apns.no_connection')).toBe('ruled_out');
    // With the zone of one log unknown, the two cannot be ordered: the failure stands.
    const unsure = run(
      [earlier, at(later, '2026-11-20T11:00:00.000Z', 'PersistentConnection/apsd.1.log', 'unknown')],
      [{ question: 'q.case.domain', value: 'apns' }],
    );
    expect(engineStatus(unsure, 'apns.no_connection')).toBe('likely');
  });

  it('a bare disconnect after a connection is a network change, not a broken device', () => {
    const d = run([file('device.log.courier_connected', 3), file('device.log.connection_failure', 9)]);
    expect(d.facts.find((f) => f.name === 'device.log.push_connection')?.value).toBe('up');
  });

  it('mdmclient failing to reach the server makes the network cause likely, unless the log shows it got through', () => {
    const err = file('device.log.mdm_connection_error', 4, { kind: 'dns' });
    expect(heldRules(run([err]), 'mdm.network')).toContain('mdm.network.mdm_server_unreachable');
    const through = { ...file('device.log.checkin', 8, { http_status: '200' }) };
    expect(heldRules(run([err, through]), 'mdm.network')).not.toContain('mdm.network.mdm_server_unreachable');
  });
});
