import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAY_MATTER_WORDS, mayMatter } from '../../src/evidence/text/messages.js';
import type { LineReader } from '../../src/evidence/types.js';
import { CHUNKS, ctx, expectSameBothWays, feed } from './prefilterHarness.js';

/**
 * The line feeder skips, undecoded, the lines no reader asked for (see
 * LinePrefilter). Skipping must change nothing a reader reports: the same
 * logs fed with and without the prefilter give byte-identical facts and
 * problems, whatever the log form and wherever the chunks split, and the
 * lines that are delivered carry their exact line numbers.
 */

/** Deterministic numbers (mulberry32), so a failure can be replayed. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) as number;
  };
}

const PUSH = [
  ['mdmd', 'Rejecting MDM push dictionary because it does not have the right magic string.'],
  ['apsd', '<APSCourier: 0x1>: Connected to courier 23-courier.push.apple.com (17.57.146.20:5223)'],
  ['apsd', '<APSCourierConnection: 0x2>: Disconnecting in response to connection failure'],
  ['apsd', "<APSCourier: 0x1 production>: Received message for enabled topic 'com.apple.mgmt.External.abc' onInterface: NonCellular"],
  ['apsd', 'Received message for enabled topic <private> onInterface: NonCellular'],
  ['apsd', "Received message for ignored topic 'com.apple.mgmt.External.old'"],
  ['mdmd', 'MDM|Skipped token update due to incomplete migration'],
  ['mdmd', 'MDM|Polling MDM server https://mdm.example.com/mdm for next command.'],
  ['mdmclient', "[com.apple.ManagedClient:MDMDaemon] Received HTTP response (200) [Acknowledged(InstallProfile):'6A1E0D3C-1111-2222-3333-444455556666']"],
  ['mdmclient', '[com.apple.ManagedClient:MDMAgent] Processing server request: DeviceInformation for: User'],
  ['apsd', 'copyTokenForDomain push.apple.com (null)'],
  ['apsd', 'environment <APSEnvironment: 0x3 production>'],
  ['SpringBoard', 'Opened https://apps.example.com/ps with MDM-managed settings'],
] as const;
const NOISE = [
  'Process 4411 state changed: running -> suspended',
  'Assertion 3F2A acquired for pid 88',
  'Scan results: 12 networks, best RSSI -61',
  'Réseau préféré: Café Wi‑Fi 😀 connecté',
  'Task <A1>.<2> finished with status 0',
  'Memory pressure level changed to normal',
  'Fetched https://cdn.example.com/maps/tiles/ps=2',
];
const PROCS = ['locationd', 'SpringBoard', 'kernel', 'wifid', 'runningboardd'];

type Form = 'default' | 'compact' | 'syslog' | 'oldsyslog' | 'ndjson' | 'json' | 'console' | 'bare';

function event(form: Form, r: (n: number) => number, i: number): string[] {
  const push = r(12) === 0 ? PUSH[r(PUSH.length)]! : undefined;
  const proc = push ? push[0] : PROCS[r(PROCS.length)]!;
  const msg = push ? push[1] : NOISE[r(NOISE.length)]!;
  const s = String(i % 60).padStart(2, '0');
  const ts = `2024-03-01 10:22:${s}.123456+0100`;
  switch (form) {
    case 'default':
      return [`${ts} 0x1a2b     Default     0x0                  123    0    ${proc}: (${push ? 'ManagedConfiguration' : 'CoreFoundation'}) ${msg}`];
    case 'compact':
      return [`2024-03-01 10:22:${s}.123 Df ${proc}[123:1a2b] ${msg}`];
    case 'syslog':
      return [`${ts}  localhost ${proc}[123]: ${msg}`];
    case 'oldsyslog':
      return [`Mar  1 10:22:${s} Johns-iPhone ${proc}[123] <Notice>: ${msg}`];
    case 'ndjson':
      return [JSON.stringify({ timestamp: ts, eventMessage: msg, processImagePath: `/usr/libexec/${proc}`, processID: 123 })];
    case 'json':
      return [
        '{',
        `  "timestamp" : "${ts}",`,
        `  "processImagePath" : "/usr/libexec/${proc}",`,
        `  "eventMessage" : ${JSON.stringify(msg)},`,
        '  "processID" : 123',
        '},{',
      ];
    case 'console':
      return [`default\t10:22:${s}.123456+0100\t${proc}\t${msg}`];
    case 'bare':
      return [`${proc}: ${msg}`];
  }
}

/** A log of `lines` events in one form, with what real logs carry besides: headers, blanks, continuations, CRLF. */
function makeLog(form: Form, lines: number, seed: number, opts: { crlf?: boolean; lateOnly?: boolean } = {}): string {
  const r = rng(seed);
  const out: string[] = [];
  if (form === 'default') out.push('Timestamp                       Thread     Type        Activity             PID    TTL  ');
  if (form === 'json') out.push('[');
  for (let i = 0; i < lines; i++) {
    if (opts.lateOnly) {
      // Nothing any format knows for thousands of lines, then one push line without a format.
      out.push(
        i === lines - 1 ? 'mdmd: Rejecting MDM push dictionary because it does not have the right magic string.' : `noise ${i} ${NOISE[r(NOISE.length)]}`,
      );
      continue;
    }
    out.push(...event(form, r, i));
    const extra = r(40);
    if (extra === 0) out.push('');
    else if (extra === 1) out.push('    continuation of the message above, indented');
    else if (extra === 2) out.push('\tkey = value;');
    else if (extra === 3) out.push('}');
    else if (extra === 4) out.push('x'.repeat(300 + r(400)) + (r(2) ? ' mdm' : ''));
  }
  if (form === 'json') out.push('}]');
  return out.join(opts.crlf ? '\r\n' : '\n') + (r(2) ? '\n' : '');
}

describe('the prefiltered line feeder reports exactly what the unfiltered one does', () => {
  const forms: Form[] = ['default', 'compact', 'syslog', 'oldsyslog', 'ndjson', 'json', 'console', 'bare'];
  it.each(forms)('a %s-style device log', async (form) => {
    const data = Buffer.from(makeLog(form, 6000, forms.indexOf(form) + 1));
    const { delivered, result } = await expectSameBothWays(data);
    expect(result.facts.some((f) => f.name === 'device.log.mdm_lines' && Number(f.value) > 0)).toBe(true);
    // Plain text forms are mostly skipped once recognised; JSON-style lines are always delivered.
    if (form !== 'json' && form !== 'ndjson') expect(delivered).toBeLessThan(data.toString().split('\n').length / 2);
  });

  it('with CRLF line ends', async () => {
    await expectSameBothWays(Buffer.from(makeLog('default', 3000, 11, { crlf: true })));
  });

  it('when the only push line comes after the format-recognition window', async () => {
    const { result } = await expectSameBothWays(Buffer.from(makeLog('bare', 4000, 12, { lateOnly: true })));
    expect(result.facts.map((f) => f.name)).toContain('device.log.magic_rejection');
  });

  it('when a log in a known form has no push line at all (it still counts zero MDM lines)', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `2024-03-01 10:22:33.123 Df wifid[12:3f] Scan results: ${i} networks\n`).join('');
    const { result } = await expectSameBothWays(Buffer.from(text));
    expect(result.facts).toEqual([expect.objectContaining({ name: 'device.log.mdm_lines', value: 0 })]);
  });

  it('when no line is ever recognised', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `nothing to see ${i}`).join('\n');
    const { result } = await expectSameBothWays(Buffer.from(text));
    expect(result.facts).toEqual([]);
  });

  it('with NUL bytes inside a needle (they are dropped after decoding)', async () => {
    const text = `${makeLog('default', 500, 13)}2024-03-01 10:22:33.123456+0100 0x1a2b     Default     0x0     123    0    m\u0000dmd: Rejecting M\u0000DM push dictionary because it does not have the right magic string.\n${makeLog('default', 500, 14)}`;
    const { result } = await expectSameBothWays(Buffer.from(text));
    expect(result.problems.map((p) => p.code)).toContain('text.nul');
  });

  it('with over-long lines (reported at the same line) and a log cut at the byte limit', async () => {
    const data = Buffer.from(makeLog('compact', 4000, 15));
    await expectSameBothWays(data);
    await expectSameBothWays(data, { limits: { ...ctx.limits, maxLogBytes: Math.floor(data.length / 2) } });
  });

  it('for the device and server logs in the fixtures', async () => {
    const dirs = [
      new URL('../fixtures/text/', import.meta.url),
      new URL('../fixtures/notnow/', import.meta.url),
      new URL('../fixtures/mdm/server/', import.meta.url),
    ];
    let files = 0;
    for (const dir of dirs) {
      for (const name of readdirSync(dir)) {
        if (!/\.(log|txt|json)$/.test(name)) continue;
        const data = readFileSync(fileURLToPath(new URL(name, dir)));
        await expectSameBothWays(data);
        // Repeated, so that the prefilter is past the recognition window.
        await expectSameBothWays(Buffer.concat(Array.from({ length: 50 }, () => data)));
        files++;
      }
    }
    expect(files).toBeGreaterThan(4);
  });
});

describe('lines a prefiltered sink gets carry their exact numbers', () => {
  it.each(CHUNKS)('in chunks of %i bytes', async (size) => {
    const r = rng(size);
    const lines = Array.from({ length: 5000 }, (_, i) => {
      const k = r(50);
      if (k === 0) return `line ${i} has the NEEDLE in it`;
      if (k === 1) return `# line ${i} starts with a hash`;
      if (k === 2) return `line ${i} has the NEED LE split`;
      if (k === 3) return `${'é'.repeat(r(20))} line ${i}\r`;
      return `line ${i} ${'z'.repeat(r(200))}`;
    });
    const got: [string, number][] = [];
    const spy: LineReader = {
      id: 'spy',
      kind: 'lines',
      accepts: () => true,
      open: () => ({ prefilter: { needles: ['NEEDLE'], startBytes: [0x23] }, line: (t, n) => void got.push([t, n]), end: () => ({ facts: [], problems: [] }) }),
    };
    await feed(Buffer.from(lines.join('\n')), [spy], size);
    const wanted = lines.map((l, i) => [l.replace(/\r$/, ''), i + 1] as [string, number]).filter(([l]) => l.includes('NEEDLE') || l.startsWith('#'));
    // Every asked-for line arrives; anything else that arrives (a line carried across chunks) is still the right text for its number.
    for (const w of wanted) expect(got).toContainEqual(w);
    for (const [t, n] of got) expect(t).toBe(lines[n - 1]!.replace(/\r$/, ''));
    expect(got.length).toBeLessThan(wanted.length + Math.ceil(lines.join('\n').length / size) + 1);
  });
});

/** A sink asking for `needles` and recording what it gets. */
function spyOn(needles: readonly string[], got: [string, number][]): LineReader {
  return {
    id: 'spy',
    kind: 'lines',
    accepts: () => true,
    open: () => ({ prefilter: { needles }, line: (t, n) => void got.push([t, n]), end: () => ({ facts: [], problems: [] }) }),
  };
}

/**
 * The feeder looks for each needle by its least common bytes (the piece
 * from there on) and checks the bytes around what it finds: a line holding
 * a needle anywhere must arrive, a line holding only pieces of one may be
 * passed over.
 */
describe('the prefilter finds a needle by its rarest piece, and only whole needles', () => {
  const MUST: string[] = [
    'apsd[123]: Connected', // 'aps' is searched as 'ps', checked for the 'a' before it
    'x aps',
    'aps at the start',
    'APS',
    'mdm',
    'an mdmd line',
    'MDM|Polling',
    'com.apple.ManagedClient:MDMDaemon',
    '<APSCourier: 0x1>',
    'Connected to courier 1-courier.push.apple.com',
    'Courier',
    'PersistentConnection',
    'MCSCEPErrorDomain',
    'The required field Topic is missing',
    'required field',
    'apaps',
    'psaps',
    'pps aps',
  ];
  const MAY_SKIP: string[] = [
    'Fetched https://cdn.example.com/tiles/ps=2',
    'tx rate 2458 Mbps',
    'ps -ax',
    'PS',
    'AP S',
    'a ps',
    'Managed',
    'ManagedClien',
    'courie',
    'ourie r',
    'Persistent Connection',
    'SCE P',
    'required  field',
    'the required fiel',
    'md m',
    'MD M',
    'pushes',
  ];

  it('the tables agree with the word test the device log reader applies', () => {
    for (const l of MUST) expect(mayMatter(l), l).toBe(true);
    for (const l of MAY_SKIP) expect(mayMatter(l), l).toBe(false);
  });

  it.each(CHUNKS)('in chunks of %i bytes, every line holding a needle arrives and (past chunk ends) no other', async (size) => {
    const r = rng(size + 7);
    const lines: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const pool = r(3) === 0 ? MUST : MAY_SKIP;
      const pad = 'z'.repeat(r(30));
      // Needles at the very start and end of lines, and lines at the very start and end of the data.
      lines.push(r(2) ? `${pad}${pool[r(pool.length)]!}` : `${pool[r(pool.length)]!}${pad}`);
    }
    const data = Buffer.from(`${lines.join('\n')}\n`);
    const got: [string, number][] = [];
    await feed(data, [spyOn(MAY_MATTER_WORDS, got)], size);
    const wanted = lines.map((l, i) => [l, i + 1] as [string, number]).filter(([l]) => mayMatter(l));
    for (const w of wanted) expect(got).toContainEqual(w);
    // Lines carried across a chunk end are delivered whatever they hold: at most one per chunk.
    const extra = got.filter(([t]) => !mayMatter(t)).length;
    expect(extra).toBeLessThanOrEqual(Math.ceil(data.length / size));
    if (size >= data.length) expect(extra).toBe(0);
  });

  it('a needle that holds another is found by the shorter one, and needles sharing a piece are each checked', async () => {
    const got: [string, number][] = [];
    // 'aps' and 'ips' are both searched as 'ps'; 'capsule' holds 'aps'.
    const lines = ['one aps', 'two capsule', 'three ps', 'four tips', 'five ops', 'six lapse', 'seven map'];
    await feed(Buffer.from(`${lines.join('\n')}\n`), [spyOn(['aps', 'ips', 'capsule', 'lapse'], got)], 1 << 20);
    expect(got.map(([, n]) => n)).toEqual([1, 2, 4, 6]);
  });
});
