import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zip } from '../archive/support.js';

/**
 * The same logs in the forms support engineers really hand them over: saved
 * by Notepad or PowerShell (UTF-16, a BOM, CRLF), pulled from Docker,
 * journald, Kubernetes or CloudWatch, exported as CSV from a log console,
 * zipped by Finder, reformatted by jq. Each form is made at test time from
 * the plain log, so a test (and bench/formats.ts) can check it gives the same
 * facts as the plain log. Every value is made up.
 */

const UDID = '00008110-001A2C3E4F50801E';
const TOPIC = 'com.apple.mgmt.External.6c2f4e1a-8b3d-4a5e-9f70-1d2c3b4a5e6f';
const CMD = '9b1e7c44-2f0a-4d6b-a8e3-51c2d7f0b6aa';

/** A line of the plain log: its time (UTC) and the rest as the server writes it after its `ts=`. */
type Stamped = [at: string, rest: string];

/** NanoMDM (NanoLIB logfmt): a TokenUpdate, a push, a NotNow and the Acknowledged after it. */
export const NANOMDM: Stamped[] = [
  ['2026-11-20T09:00:00', 'level=info handler=log addr=::1 method=PUT path=/mdm/checkin agent=MDM/1.0 real_ip=198.51.100.7'],
  ['2026-11-20T09:00:00', `level=info service=nanomdm msg=TokenUpdate id=${UDID} type=Device`],
  ['2026-11-20T10:00:00', `level=info handler=log addr=127.0.0.1 method=GET path=/v1/push/${UDID} agent=curl/8.4.0`],
  ['2026-11-20T10:00:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`],
  ['2026-11-20T10:00:00', 'level=debug handler=push msg=push count=1 errs=0'],
  ['2026-11-20T10:00:02', `level=info service=nanomdm id=${UDID} type=Device status=Idle`],
  ['2026-11-20T10:00:02', `level=info service=nanomdm id=${UDID} type=Device msg=command retrieved command_uuid=${CMD} request_type=InstallProfile`],
  ['2026-11-20T10:00:03', `level=info service=nanomdm id=${UDID} type=Device status=NotNow command_uuid=${CMD}`],
  ['2026-11-20T10:05:00', `level=info service=nanomdm id=${UDID} type=Device status=Acknowledged command_uuid=${CMD}`],
];

export const plainLine = ([at, rest]: Stamped) => `ts=${at}Z ${rest}`;

/** mdmd refusing pushes on the device, `log show` default style. */
const DEVICE = [
  'Filtering the log data using "process == "mdmd" OR process == "apsd""',
  'Timestamp                       Thread     Type        Activity             PID    TTL  ',
  "2026-11-20 10:00:01.120000+0000 0x2f10     Default     0x0                  98     0    apsd: Received message for enabled topic 'com.apple.mgmt.External.6c2f4e1a-8b3d-4a5e-9f70-1d2c3b4a5e6f'",
  '2026-11-20 10:00:01.130000+0000 0x2f11     Default     0x0                  231    0    mdmd: Rejecting MDM push dictionary because it does not have the right magic string.',
];

/** The same device events as `log show --style ndjson` writes them (one object a line). */
const EVENTS = [
  {
    timestamp: '2026-11-20 10:00:01.120000+0000',
    messageType: 'Default',
    eventType: 'logEvent',
    subsystem: 'com.apple.apsd',
    category: 'connection',
    processImagePath: '/System/Library/PrivateFrameworks/ApplePushService.framework/apsd',
    processID: 98,
    eventMessage: `Received message for enabled topic '${TOPIC}'`,
    backtrace: { frames: [{ imageOffset: 1234, imageUUID: '5B2A3C4D-1E2F-4A5B-8C6D-7E8F9A0B1C2D' }] },
  },
  {
    timestamp: '2026-11-20 10:00:01.130000+0000',
    messageType: 'Default',
    eventType: 'logEvent',
    subsystem: 'com.apple.ManagedClient',
    category: 'MDMDaemon',
    processImagePath: '/usr/libexec/mdmd',
    processID: 231,
    eventMessage: 'Rejecting MDM push dictionary because it does not have the right magic string.',
    backtrace: { frames: [{ imageOffset: 5678, imageUUID: '6C3B4D5E-2F3A-4B5C-9D7E-8F9A0B1C2D3E' }] },
  },
];

/**
 * An app's push provider (Python logging's or log4j's default layout) sending to four devices: two pushes
 * go through, one token is bad, one is no longer registered. Each failed push's APNs answer body is
 * logged after its record's first words: on the same line in the plain log, under it in the forms below.
 */
const PROVIDER: [first: string, body?: Record<string, unknown>][] = [
  [
    '2026-11-20 10:02:31,002 INFO  [apns] push sent for token 5a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9 topic=com.example.chat apns-id=3F1E2D4C-5B6A-4978-8695-A4B3C2D1E0F9 status=200',
  ],
  [
    '2026-11-20 10:12:33,120 ERROR [apns] push failed for token c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00 topic=com.example.chat status=400',
    { reason: 'BadDeviceToken' },
  ],
  [
    '2026-11-20 10:22:34,500 INFO  [apns] push sent for token 9e8d7c6b5a4938271605f4e3d2c1b0a99e8d7c6b5a4938271605f4e3d2c1b0a9 topic=com.example.chat apns-id=7A6B5C4D-3E2F-4A1B-9C8D-7E6F5A4B3C2D status=200',
  ],
  [
    '2026-11-20 10:32:35,010 ERROR [apns] push failed for token 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef topic=com.example.chat status=410',
    { reason: 'Unregistered', timestamp: 1763634100000 },
  ],
];

/** Jamf Pro's server log (log4j, the server's local time, no zone): a push to each of two devices, one answered Unregistered. */
const JAMF = [
  `2024-05-06 09:14:02,117 [INFO ] [duledPool-3    ] [PushNotificationSender   ] - Sending MDM push notification. Device ID: 97, UDID: ${UDID}, Topic: ${TOPIC}`,
  `2024-05-06 09:14:03,002 [ERROR] [duledPool-3    ] [PushNotificationSender   ] - APNs rejected push notification. Device ID: 97, UDID: ${UDID}, Status: 410, Reason: Unregistered`,
  `2024-05-06 09:15:00,500 [INFO ] [duledPool-3    ] [PushNotificationSender   ] - Sending MDM push notification. Device ID: 412, UDID: 00008110-001A2C3E4F50802F, Topic: ${TOPIC}`,
];

export interface Sample {
  /** What the log is, for test names. */
  name: string;
  /** File name of the plain form. */
  file: string;
  plain: string;
}

export const SAMPLES = {
  server: { name: 'NanoMDM server log', file: 'nanomdm.log', plain: `${NANOMDM.map(plainLine).join('\n')}\n` },
  device: { name: 'mdmd log show export', file: 'mdmd.log', plain: `${DEVICE.join('\n')}\n` },
  events: { name: 'log show ndjson export', file: 'device.ndjson', plain: `${EVENTS.map((e) => JSON.stringify(e)).join('\n')}\n` },
  jamf: { name: 'Jamf Pro server log', file: 'JAMFSoftwareServer.log', plain: `${JAMF.join('\n')}\n` },
  provider: {
    name: 'app push provider log',
    file: 'provider.log',
    plain: `${PROVIDER.map(([first, body]) => (body ? `${first} ${JSON.stringify(body)}` : first)).join('\n')}\n`,
  },
} satisfies Record<string, Sample>;

/**
 * Real logs (the project's real-world inputs, in `dir`) to put through every
 * form made from the plain text alone: a server's and a device's.
 */
export function realSamples(dir: string): { key: keyof typeof SAMPLES; sample: Sample }[] {
  const real = (file: string, name: string): Sample => ({ name, file, plain: readFileSync(join(dir, file), 'utf8') });
  return [
    { key: 'server', sample: real('nanomdm_server_log_quickstart_success.log', 'real NanoMDM quickstart log') },
    { key: 'device', sample: real('macos_log_show_default_style_mdmclient_InstallApplication_2017.log', 'real mdmclient log show export') },
  ];
}

/** One form of a sample: the files it comes as (name, bytes). */
export interface Shape {
  name: string;
  /** Which samples it applies to. */
  of: (keyof typeof SAMPLES)[];
  make(sample: Sample): { name: string; data: Buffer }[];
  /**
   * The line of the form's file (one file) that a line of the plain log is
   * read from: a fact read there must name it. Forms without one are not
   * checked for lines.
   */
  lineOf?: (plainLine: number, file: string) => number;
  /** Made from the plain text alone, so it applies to any log of its kinds (a real one too). */
  anyLog?: true;
}

const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
const lines = (s: string) => s.replace(/\n$/, '').split('\n');
const serverOnly: (keyof typeof SAMPLES)[] = ['server'];
const ALL: (keyof typeof SAMPLES)[] = ['server', 'device', 'events', 'provider', 'jamf'];

/** Docker's json-file driver: RFC 3339 with nanoseconds. */
const nano = (at: string, n: number) => `${at}.${String(123456789 + n).padStart(9, '0')}Z`;
const epochMs = (at: string) => Date.parse(`${at}Z`);

export const SHAPES: Shape[] = [
  {
    anyLog: true,
    name: 'UTF-8 with a BOM',
    lineOf: same,
    of: ALL,
    make: (s) => [{ name: s.file, data: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s.plain)]) }],
  },
  {
    anyLog: true,
    name: 'UTF-16 LE with a BOM (Notepad, PowerShell Out-File)',
    lineOf: same,
    of: ALL,
    make: (s) => [{ name: s.file, data: Buffer.from(`\uFEFF${s.plain.replace(/\n/g, '\r\n')}`, 'utf16le') }],
  },
  { anyLog: true, name: 'UTF-16 BE with a BOM', lineOf: same, of: ALL, make: (s) => [{ name: s.file, data: utf16be(`\uFEFF${s.plain}`) }] },
  { anyLog: true, name: 'Windows line ends (CRLF)', lineOf: same, of: ALL, make: (s) => [{ name: s.file, data: Buffer.from(s.plain.replace(/\n/g, '\r\n')) }] },
  {
    anyLog: true,
    name: 'zipped by Finder (__MACOSX and ._ members beside it)',
    lineOf: same,
    of: ALL,
    make: (s) => [
      {
        name: 'logs.zip',
        data: zip([
          { path: `logs/${s.file}`, data: s.plain, deflate: true },
          { path: `__MACOSX/logs/._${s.file}`, data: Buffer.from([0, 5, 22, 7, 0, 2, 0, 0, ...Buffer.from('Mac OS X        ')]) },
          { path: 'logs/._notes.plist', data: Buffer.from([0, 5, 22, 7, 0, 2, 0, 0]) },
        ]),
      },
    ],
  },
  {
    anyLog: true,
    name: 'Docker json-file log (the line keeps its own ts)',
    lineOf: same,
    of: serverOnly,
    make: (s) => [
      {
        name: 'container-json.log',
        data: Buffer.from(
          `${wrapped(s)
            .map(([at, l], i) => JSON.stringify({ log: `${l}\n`, stream: 'stderr', time: nano(at, i) }))
            .join('\n')}\n`,
        ),
      },
    ],
  },
  {
    name: 'Docker json-file log (only Docker dates the line)',
    lineOf: same,
    of: serverOnly,
    make: () => [
      {
        name: 'container-json.log',
        data: Buffer.from(
          `${NANOMDM.map(([at, rest], i) => JSON.stringify({ log: `${rest}\n`, stream: 'stdout', time: `${at}.${String(i).padStart(9, '0')}Z` })).join('\n')}\n`,
        ),
      },
    ],
  },
  {
    name: 'journalctl -o json',
    lineOf: same,
    of: serverOnly,
    make: () => [{ name: 'nanomdm-journal.json', data: Buffer.from(`${NANOMDM.map((l, i) => JSON.stringify(journal(l, i))).join('\n')}\n`) }],
  },
  {
    name: 'journalctl -o json-pretty',
    lineOf: (n, text) => lineHolding(text, `i=${(0x1a2b + n - 1).toString(16)};`) - 1,
    of: serverOnly,
    make: () => [{ name: 'nanomdm-journal.json', data: Buffer.from(`${NANOMDM.map((l, i) => JSON.stringify(journal(l, i), null, '\t')).join('\n')}\n`) }],
  },
  {
    anyLog: true,
    name: 'kubectl logs --timestamps',
    lineOf: same,
    of: serverOnly,
    make: (s) => [
      {
        name: 'nanomdm-pod.log',
        data: Buffer.from(
          `${wrapped(s)
            .map(([at, l], i) => `${nano(at, i)} ${l}`)
            .join('\n')}\n`,
        ),
      },
    ],
  },
  {
    anyLog: true,
    name: 'UTF-16 LE without a BOM',
    of: ALL,
    make: (s) => [{ name: s.file, data: Buffer.from(s.plain.replace(/\n/g, '\r\n'), 'utf16le') }],
    lineOf: same,
  },
  { anyLog: true, name: 'UTF-16 BE without a BOM', of: ALL, make: (s) => [{ name: s.file, data: utf16be(s.plain) }], lineOf: same },
  {
    name: 'CloudWatch Logs JSON export (aws logs filter-log-events)',
    lineOf: (n, text) => lineHolding(text, `"eventId": "3788${n - 1}"`) - 5,
    of: serverOnly,
    make: () => [
      {
        name: 'cloudwatch-events.json',
        data: Buffer.from(
          JSON.stringify(
            {
              events: NANOMDM.map(([at, rest], i) => ({
                logStreamName: 'nanomdm/nanomdm/4f1c2a',
                timestamp: epochMs(at),
                message: rest,
                ingestionTime: epochMs(at) + 400,
                eventId: `3788${i}`,
              })),
              searchedLogStreams: [{ logStreamName: 'nanomdm/nanomdm/4f1c2a', searchedCompletely: true }],
            },
            null,
            4,
          ),
        ),
      },
    ],
  },
  {
    name: 'CloudWatch Logs Insights CSV export',
    lineOf: (n) => n + 1,
    of: serverOnly,
    make: () => [
      {
        name: 'logs-insights-results.csv',
        data: Buffer.from(`@timestamp,@message\n${NANOMDM.map(([at, rest]) => `${at.replace('T', ' ')}.000,"${rest.replace(/"/g, '""')}"`).join('\n')}\n`),
      },
    ],
  },
  {
    name: 'CloudWatch Logs Insights JSON export',
    lineOf: (n, text) => lineHolding(text, `"@message": ${JSON.stringify(NANOMDM[n - 1]![1])}`) - 2,
    of: serverOnly,
    make: () => [
      {
        name: 'logs-insights-results.json',
        data: Buffer.from(
          JSON.stringify(
            NANOMDM.map(([at, rest]) => ({ '@timestamp': `${at.replace('T', ' ')}.000`, '@message': rest })),
            null,
            2,
          ),
        ),
      },
    ],
  },
  {
    name: 'CSV saved by Excel (sep= line, semicolons, CRLF)',
    lineOf: (n) => n + 2,
    of: serverOnly,
    make: () => [
      { name: 'export.csv', data: Buffer.from(`sep=;\r\ntimestamp;message\r\n${NANOMDM.map(([at, rest]) => `${at}Z;"${rest}"`).join('\r\n')}\r\n`) },
    ],
  },
  {
    name: 'Graylog CSV export',
    lineOf: (n) => n + 1,
    of: serverOnly,
    make: () => [
      {
        name: 'graylog-search-result.csv',
        data: Buffer.from(`"timestamp","source","message"\n${NANOMDM.map(([at, rest]) => `"${at}.000Z","mdm-1","${rest}"`).join('\n')}\n`),
      },
    ],
  },
  {
    name: 'rotated by date, gzipped (two files)',
    of: serverOnly,
    make: () => [
      { name: 'nanomdm.log.2026-11-19.gz', data: gzipSync(`${NANOMDM.slice(0, 5).map(plainLine).join('\n')}\n`) },
      { name: 'nanomdm.log', data: Buffer.from(`${NANOMDM.slice(5).map(plainLine).join('\n')}\n`) },
    ],
  },
  {
    name: 'log show --style json, reformatted by jq (an array)',
    lineOf: (n, text) => lineHolding(text, EVENTS[n - 1]!.timestamp) - 1,
    of: ['events'],
    make: () => [{ name: 'device.json', data: Buffer.from(JSON.stringify(EVENTS, null, 2)) }],
  },
  {
    name: 'log show --style ndjson, piped through jq . (one object over many lines each)',
    lineOf: (n, text) => lineHolding(text, EVENTS[n - 1]!.timestamp) - 1,
    of: ['events'],
    make: () => [{ name: 'device-events.json', data: Buffer.from(`${EVENTS.map((e) => JSON.stringify(e, null, 2)).join('\n')}\n`) }],
  },
];

SHAPES.push(
  {
    anyLog: true,
    name: 'Kibana CSV export (its date format, quoted message)',
    of: serverOnly,
    make: (s) => [
      {
        name: 'Discover search.csv',
        data: Buffer.from(
          `"@timestamp",message\n${wrapped(s)
            .map(([at, l]) => `"${kibanaDate(at)}","${l.replace(/"/g, '""')}"`)
            .join('\n')}\n`,
        ),
      },
    ],
    lineOf: (n) => n + 1,
  },
  {
    anyLog: true,
    name: 'Kibana CSV export of an ECS index (event.original beside a cut message)',
    of: serverOnly,
    make: (s) => [
      {
        name: 'nanomdm-export.csv',
        data: Buffer.from(
          `"@timestamp","host.name","log.level",message,"event.original"\n${wrapped(s)
            .map(([at, l]) => `"${kibanaDate(at)}","mdm-1",info,"${l.slice(20, 40).replace(/"/g, '""')}","${l.replace(/"/g, '""')}"`)
            .join('\n')}\n`,
        ),
      },
    ],
    lineOf: (n) => n + 1,
  },
  {
    name: 'Elasticsearch _search answer (hits, pretty-printed)',
    of: serverOnly,
    make: () => [{ name: 'search-results.json', data: Buffer.from(elasticSearch()) }],
    lineOf: (n) => lineHolding(elasticSearch(), `"_id": "hit-${n}"`) - 2,
  },
  {
    name: 'elasticdump NDJSON (a hit a line, _source inside)',
    of: serverOnly,
    make: () => [
      {
        name: 'nanomdm-logs.ndjson',
        data: Buffer.from(
          `${NANOMDM.map(([at, rest], i) => JSON.stringify({ _index: 'logs-nanomdm-2026.11.20', _type: '_doc', _id: `hit-${i + 1}`, _score: 1, _source: { '@timestamp': `${at}.000Z`, message: rest, host: { name: 'mdm-1' } } })).join('\n')}\n`,
        ),
      },
    ],
    lineOf: same,
  },
  {
    name: 'Filebeat NDJSON (ECS fields, log.original)',
    of: serverOnly,
    make: () => [
      {
        name: 'filebeat-20261120.ndjson',
        data: Buffer.from(`${NANOMDM.map((l, i) => JSON.stringify(filebeat(l, i))).join('\n')}\n`),
      },
    ],
    lineOf: same,
  },
  {
    anyLog: true,
    name: 'Splunk CSV export (_time, _raw)',
    of: serverOnly,
    make: (s) => [
      {
        name: 'splunk-results.csv',
        data: Buffer.from(
          `"_serial","_time",host,source,sourcetype,"_raw"\n${wrapped(s)
            .map(([at, l], i) => `${i},"${at}.000+00:00","mdm-1","/var/log/nanomdm.log",nanomdm,"${l.replace(/"/g, '""')}"`)
            .join('\n')}\n`,
        ),
      },
    ],
    lineOf: (n) => n + 1,
  },
  {
    name: 'Splunk JSON export (a result a line)',
    of: serverOnly,
    make: () => [
      {
        name: 'splunk-results.json',
        data: Buffer.from(
          `${NANOMDM.map(([at, rest], i) =>
            JSON.stringify({
              preview: false,
              offset: i,
              ...(i === NANOMDM.length - 1 ? { lastrow: true } : {}),
              result: { _raw: rest, _time: `${at}.000+00:00`, host: 'mdm-1', source: '/var/log/nanomdm.log', sourcetype: 'nanomdm' },
            }),
          ).join('\n')}\n`,
        ),
      },
    ],
    lineOf: same,
  },
  {
    name: 'Datadog Logs API answer (data[].attributes, pretty-printed)',
    of: serverOnly,
    make: () => [{ name: 'datadog-logs.json', data: Buffer.from(datadog()) }],
    // A log's record opens at its `{`, above its attributes.
    lineOf: (n, text) => {
      const lines = text.split('\n');
      let at = lineHolding(text, `"message": ${JSON.stringify(NANOMDM[n - 1]![1])}`) - 1;
      while (at > 0 && lines[at] !== '        {') at--;
      return at + 1;
    },
  },
);

/** Each line of a log with a time for its wrapper (any: the line keeps its own, which is read first). */
function wrapped(s: Sample): [at: string, line: string][] {
  return lines(s.plain).map((l, i) => [`2026-11-20T09:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`, l]);
}

function same(n: number): number {
  return n;
}

/** The 1-based line of `text` holding `needle`. */
function lineHolding(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`no ${needle}`);
  return text.slice(0, at).split('\n').length;
}

SHAPES.push(
  {
    anyLog: true,
    name: 'syslog file (RFC 3164: journalctl, rsyslog traditional format)',
    of: serverOnly,
    make: (s) => [
      {
        name: 'syslog',
        data: Buffer.from(
          `${wrapped(s)
            .map(([at, l]) => `${bsdDate(at)} mdm-1 nanomdm[812]: ${l}`)
            .join('\n')}\n`,
        ),
      },
    ],
    lineOf: same,
  },
  {
    anyLog: true,
    name: 'syslog as received (RFC 3164 with its <PRI>)',
    of: serverOnly,
    make: (s) => [
      {
        name: 'syslog-remote.log',
        data: Buffer.from(
          `${wrapped(s)
            .map(([at, l]) => `<30>${bsdDate(at)} mdm-1 nanomdm[812]: ${l}`)
            .join('\n')}\n`,
        ),
      },
    ],
    lineOf: same,
  },
  {
    name: 'syslog RFC 5424 (only syslog dates the line)',
    of: serverOnly,
    make: () => [
      { name: 'nanomdm-5424.log', data: Buffer.from(`${NANOMDM.map(([at, rest]) => `<30>1 ${at}.000Z mdm-1 nanomdm 812 - - ${rest}`).join('\n')}\n`) },
    ],
    lineOf: same,
  },
  {
    anyLog: true,
    name: 'syslog RFC 5424 with structured data (the line keeps its own ts)',
    of: serverOnly,
    make: (s) => [
      {
        name: 'nanomdm-5424.log',
        data: Buffer.from(
          `${wrapped(s)
            .map(([at, l]) => `<14>1 ${at}.000+00:00 mdm-1.example.com nanomdm 812 ID47 [meta sequenceId="1"] ${l}`)
            .join('\n')}\n`,
        ),
      },
    ],
    lineOf: same,
  },
  {
    name: 'rsyslog high-precision file format (only syslog dates the line)',
    of: serverOnly,
    make: () => [{ name: 'syslog', data: Buffer.from(`${NANOMDM.map(([at, rest]) => `${at}.000000+00:00 mdm-1 nanomdm[812]: ${rest}`).join('\n')}\n`) }],
    lineOf: same,
  },
  {
    name: 'journalctl -o short-iso (only journald dates the line)',
    of: serverOnly,
    make: () => [{ name: 'nanomdm-journal.txt', data: Buffer.from(`${NANOMDM.map(([at, rest]) => `${at}+0000 mdm-1 nanomdm[812]: ${rest}`).join('\n')}\n`) }],
    lineOf: same,
  },
  {
    anyLog: true,
    name: 'mixed line ends (CRLF and LF, as after an edit on Windows)',
    of: ALL,
    make: (s) => [
      {
        name: s.file,
        data: Buffer.from(
          lines(s.plain)
            .map((l, i) => `${l}${i % 2 ? '\r\n' : '\n'}`)
            .join(''),
        ),
      },
    ],
    lineOf: same,
  },
  {
    anyLog: true,
    name: 'gzipped single log (.log.gz)',
    of: ALL,
    make: (s) => [{ name: `${s.file}.gz`, data: gzipSync(s.plain) }],
    lineOf: same,
  },
);

SHAPES.push({
  name: 'log show --style syslog',
  of: ['device'],
  make: () => [
    {
      name: 'mdmd.log',
      data: Buffer.from(
        `${[
          DEVICE[0]!,
          'Timestamp                       (process)[PID]    ',
          ...DEVICE.slice(2).map((l) => {
            const m = /^(\S+ \S+) 0x\S+\s+\S+\s+0x\S+\s+(\d+)\s+\d+\s+(\w+): (.*)$/.exec(l)!;
            return `${m[1]}  localhost ${m[3]}[${m[2]}]: ${m[4]}`;
          }),
        ].join('\n')}\n`,
      ),
    },
  ],
  lineOf: same,
});

SHAPES.push({
  name: 'Splunk REST answer (output_mode=json: results in one array)',
  of: serverOnly,
  make: () => [{ name: 'splunk-results.json', data: Buffer.from(splunkRest()) }],
  lineOf: (n) => n + 1,
});

function splunkRest(): string {
  const results = NANOMDM.map(([at, rest], i) => JSON.stringify({ _bkt: 'main~12~ABC', _cd: `12:${i}`, _raw: rest, _time: `${at}.000+00:00`, host: 'mdm-1' }));
  // The REST answer (`…/search/jobs/<sid>/results?output_mode=json`), a result a line as a pretty-printer would leave it.
  return `{"preview":false,"init_offset":0,"messages":[],"fields":[{"name":"_raw"},{"name":"_time"}],"results":[\n${results.join(',\n')}\n],"highlighted":{}}\n`;
}

/** RFC 3164's time: no year, no zone, the day padded with a space. */
function bsdDate(at: string): string {
  const [, mo, d] = at.slice(0, 10).split('-').map(Number) as [number, number, number];
  return `${MONTH[mo - 1]} ${String(d).padStart(2, ' ')} ${at.slice(11)}`;
}

const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Kibana's default date format: "Nov 20, 2026 @ 09:00:00.000". */
function kibanaDate(at: string): string {
  const [y, mo, d] = at.slice(0, 10).split('-').map(Number) as [number, number, number];
  return `${MONTH[mo - 1]} ${d}, ${y} @ ${at.slice(11)}.000`;
}

function elasticSearch(): string {
  return JSON.stringify(
    {
      took: 12,
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: {
        total: { value: NANOMDM.length, relation: 'eq' },
        max_score: 1,
        hits: NANOMDM.map(([at, rest], i) => ({
          _index: '.ds-logs-nanomdm-2026.11.20-000001',
          _id: `hit-${i + 1}`,
          _score: 1,
          _source: { '@timestamp': `${at}.000Z`, message: rest, 'log.level': 'info', service: { name: 'nanomdm' } },
        })),
      },
    },
    null,
    2,
  );
}

function filebeat([at, rest]: Stamped, i: number): Record<string, unknown> {
  return {
    '@timestamp': `${at}.${String(i).padStart(3, '0')}Z`,
    '@metadata': { beat: 'filebeat', type: '_doc', version: '8.11.0' },
    log: { offset: i * 120, file: { path: '/var/log/nanomdm.log' }, original: plainLine([at, rest]) },
    message: rest,
    input: { type: 'filestream' },
    ecs: { version: '8.0.0' },
    host: { name: 'mdm-1' },
    agent: { type: 'filebeat', version: '8.11.0', name: 'mdm-1' },
  };
}

function datadog(): string {
  return JSON.stringify(
    {
      meta: { page: { after: 'eyJhZnRlciI6IkFRQUFBWFVBWFJZVkpHeHZEUUFBQUFCQldGVkJXRkpaVm1kMlpsa3RiVWRVWmpSQlFRIn0' } },
      data: NANOMDM.map(([at, rest], i) => ({
        attributes: {
          status: 'info',
          service: 'nanomdm',
          tags: ['source:nanomdm', 'env:prod'],
          timestamp: `${at}.000Z`,
          host: 'mdm-1',
          attributes: { hostname: 'mdm-1', service: 'nanomdm' },
          message: rest,
        },
        type: 'log',
        id: `AQAAAY${i + 1}`,
      })),
      links: { next: 'https://example.invalid/api/v2/logs/events?page%5Bcursor%5D=eyJhZnRlciI6' },
    },
    null,
    4,
  );
}

function journal([at, rest]: Stamped, i: number): Record<string, unknown> {
  const us = `${epochMs(at)}${String(i).padStart(3, '0')}`;
  return {
    __CURSOR: `s=6a1f0e;i=${(0x1a2b + i).toString(16)};b=2c4e;m=${i.toString(16)};t=${us};x=9d`,
    __REALTIME_TIMESTAMP: us,
    __MONOTONIC_TIMESTAMP: String(1_000_000 + i),
    _BOOT_ID: '2c4e6a8b0d1f4e3a9c7b5d3f1e0a2c4e',
    PRIORITY: '6',
    SYSLOG_IDENTIFIER: 'nanomdm',
    _PID: '812',
    _COMM: 'nanomdm',
    MESSAGE: rest,
    _SYSTEMD_UNIT: 'nanomdm.service',
  };
}

/** The provider log with each failed push's lines under its record's first line, as `under` lays them out. */
function providerLog(under: (first: string, body: Record<string, unknown>) => string[]): string {
  return `${PROVIDER.flatMap(([first, body]) => (body ? under(first, body) : [first])).join('\n')}\n`;
}

/** The file line each record of the provider log starts at: its first line's. */
function providerLineOf(n: number, text: string): number {
  return lineHolding(text, PROVIDER[n - 1]![0].slice(0, 23));
}

SHAPES.push(
  {
    name: "provider log with the APNs answer's body pretty-printed under its record (Python logging, log4j)",
    of: ['provider'],
    make: () => [{ name: 'provider.log', data: Buffer.from(providerLog((first, body) => [first, ...JSON.stringify(body, null, 2).split('\n')])) }],
    lineOf: providerLineOf,
  },
  {
    name: 'provider log with a Java stack trace under the record (pushy, log4j)',
    of: ['provider'],
    make: () => [
      {
        name: 'provider.log',
        data: Buffer.from(
          providerLog((first, body) => {
            const [head, status] = first.split(' status=');
            return [
              head!,
              `com.example.push.ApnsRejectedException: status=${status} ${JSON.stringify(body)}`,
              '\tat com.example.push.ApnsSender.send(ApnsSender.java:88)',
              '\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)',
              '\t... 2 more',
            ];
          }),
        ),
      },
    ],
    lineOf: providerLineOf,
  },
  {
    name: 'provider log with a Python traceback under the record (its chained exceptions apart by a blank line)',
    of: ['provider'],
    make: () => [
      {
        name: 'provider.log',
        data: Buffer.from(
          providerLog((first, body) => {
            const [head, status] = first.split(' status=');
            return [
              head!,
              'Traceback (most recent call last):',
              '  File "/srv/push/sender.py", line 41, in send',
              '    response = client.post(path, json=payload)',
              'push.errors.Rejected',
              '',
              'During handling of the above exception, another exception occurred:',
              '',
              'Traceback (most recent call last):',
              '  File "/srv/push/worker.py", line 12, in run',
              '    sender.send(note)',
              `push.errors.DispatchError: status=${status} ${JSON.stringify(body)}`,
            ];
          }),
        ),
      },
    ],
    lineOf: providerLineOf,
  },
  {
    anyLog: true,
    name: 'Datadog Log Explorer CSV export (Date, Host, Service, Message; newest first)',
    of: ['server', 'provider', 'jamf'],
    make: (s) => [
      {
        name: 'extract-2026-11-20T11_00_00.000Z.csv',
        data: Buffer.from(
          `Date,Host,Service,Message\n${wrapped(s)
            .map(([at, l]) => [`${at}.000Z`, 'mdm-1', 'nanomdm', l].map((v) => `"${v.replace(/"/g, '""')}"`).join(','))
            .reverse()
            .join('\n')}\n`,
        ),
      },
    ],
    // The newest row is the file's second line: the plain log's line n is read from the row n lines above the last.
    lineOf: (n, text) => text.split('\n').length - n,
  },
  {
    anyLog: true,
    name: 'Kibana CSV export sorted as Discover sorts (newest first)',
    of: ['server'],
    make: (s) => [
      {
        name: 'Discover search.csv',
        data: Buffer.from(
          `"@timestamp",message\n${wrapped(s)
            .map(([at, l]) => `"${kibanaDate(at)}","${l.replace(/"/g, '""')}"`)
            .reverse()
            .join('\n')}\n`,
        ),
      },
    ],
    lineOf: (n, text) => text.split('\n').length - n,
  },
);

SHAPES.push({
  name: "Datadog Log Explorer CSV export of the provider log, each record's lines in one message (multi-line aggregation; newest first)",
  of: ['provider'],
  make: () => {
    const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const rows = PROVIDER.map(([first, body], i) =>
      [
        q(`2026-11-20T10:${String(i).padStart(2, '0')}:00.000Z`),
        q('push-1'),
        q('push-provider'),
        q(body ? `${first}\n${JSON.stringify(body, null, 2)}` : first),
      ].join(','),
    );
    return [{ name: 'extract-2026-11-20T11_00_00.000Z.csv', data: Buffer.from(`Date,Host,Service,Message\n${rows.reverse().join('\n')}\n`) }];
  },
  lineOf: providerLineOf,
});

SHAPES.push({
  name: 'JAMFSoftwareServer.log with a Java stack trace under its error line',
  of: ['jamf'],
  make: () => [
    {
      name: 'JAMFSoftwareServer.log',
      data: Buffer.from(
        `${JAMF.flatMap((l) =>
          l.includes('[ERROR]')
            ? [
                l,
                'com.jamfsoftware.jss.push.PushException: APNs rejected the notification',
                '\tat com.jamfsoftware.jss.push.PushNotificationSender.send(PushNotificationSender.java:212)',
                '\tat java.base/java.lang.Thread.run(Thread.java:833)',
              ]
            : [l],
        ).join('\n')}\n`,
      ),
    },
  ],
  lineOf: (n, text) => lineHolding(text, JAMF[n - 1]!.slice(0, 23)),
});

/** Broken forms: each must give a problem naming the file, never a crash. */
export const BROKEN: { name: string; file: string; data: Buffer; problem: RegExp }[] = [
  {
    name: 'UTF-16 cut in the middle of a character',
    file: 'nanomdm.log',
    // Cut after the TokenUpdate line, one byte into the next character.
    data: Buffer.from(`\uFEFF${SAMPLES.server.plain}`, 'utf16le').subarray(0, 2 * (2 + lines(SAMPLES.server.plain).slice(0, 2).join('\n').length) + 1),
    problem: /half a UTF-16LE character/,
  },
  {
    name: 'a Docker log with a garbled line',
    file: 'container-json.log',
    data: Buffer.from(
      `${JSON.stringify({ log: `${plainLine(NANOMDM[1]!)}\n`, stream: 'stderr', time: nano(NANOMDM[1]![0], 1) })}\n{"log":"ts=2026-11-20T10:00:00Z lev\u0000\u0001@@\n${JSON.stringify({ log: 'x', stream: 'stdout', time: 5 })}z}\n`,
    ),
    problem: /not a whole record of a Docker json-file log/,
  },
  {
    name: 'a journal export cut short',
    file: 'journal.json',
    data: Buffer.from(`${JSON.stringify(journal(NANOMDM[1]!, 1), null, 2)}\n${JSON.stringify(journal(NANOMDM[2]!, 2), null, 2).slice(0, 300)}`),
    problem: /ends inside a record of a journalctl JSON export/,
  },
  {
    name: 'an Elasticsearch answer cut short',
    file: 'search-results.json',
    data: Buffer.from(elasticSearch().slice(0, elasticSearch().indexOf('"hit-4"'))),
    problem: /ends inside a record of an Elasticsearch export \(line \d+\)/,
  },
  {
    name: 'a Splunk JSON export with a garbled line',
    file: 'splunk-results.json',
    data: Buffer.from(
      [
        JSON.stringify({ preview: false, result: { _raw: plainLine(NANOMDM[1]!), _time: '2026-11-20T09:00:00.000+00:00' } }),
        '{"preview":false,"result":{"_raw":"ts=2026-11-20T10:00:00Z level=info ser',
        JSON.stringify({ preview: false, result: { _raw: plainLine(NANOMDM[2]!), _time: '2026-11-20T10:00:00.000+00:00' } }),
        '',
      ].join('\n'),
    ),
    problem: /line 2 is not a whole record of a Splunk JSON export/,
  },
  {
    name: 'a Datadog CSV export whose rows go back and forth in time (two exports pasted one after the other)',
    file: 'extract-2026-11-20T11_00_00.000Z.csv',
    data: Buffer.from(
      `Date,Host,Service,Message\n${[...NANOMDM.slice(0, 5).reverse(), ...NANOMDM.slice(5).reverse()]
        .map(([at, rest]) => [`${at}.000Z`, 'mdm-1', 'nanomdm', rest].map((v) => `"${v}"`).join(','))
        .join('\n')}\n`,
    ),
    problem: /rows are in no one time order .* read in the order of the file/,
  },
  {
    name: 'a Kibana CSV whose quoted message never closes',
    file: 'Discover search.csv',
    data: Buffer.from(
      `"@timestamp",message\n"Nov 20, 2026 @ 09:00:00.000","${plainLine(NANOMDM[1]!)}"\n"Nov 20, 2026 @ 10:00:00.000","ts=2026-11-20T10:00:00Z level=info msg=\n`,
    ),
    problem: /line 3 opens a quoted field of a Kibana CSV export that never closes/,
  },
];
