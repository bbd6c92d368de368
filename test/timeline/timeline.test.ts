import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { diagnose } from '../../src/engine/diagnose.js';
import { buildReport } from '../../src/case/index.js';
import type { Fact } from '../../src/facts/schema.js';
import {
  SELF_HEALING_MS,
  TIMELINE_WIDTH,
  renderTimelinePng,
  resvgRenderer,
  timelineFontFile,
  timelineHeight,
  timelineModel,
  timelineSvg,
} from '../../src/timeline/index.js';
import { readFileSync } from 'node:fs';
import { shipped } from '../support/rules.js';

const rules = shipped();
const reportOf = (facts: Fact[]) => buildReport(diagnose({ facts }, rules));
const srv = (line: number): Fact['source'] => ({ kind: 'file', input: 'mdm-server.log', line });
const dev = (line: number): Fact['source'] => ({ kind: 'file', input: 'sysdiagnose.tar.gz', member: 'system_logs.txt', line });
const at = (name: string, time: string, source: Fact['source'], attrs?: Record<string, string>): Fact => ({
  name,
  value: time,
  at: time,
  source,
  ...(attrs ? { attrs } : {}),
});

/** Wrong-magic story: pushes answered 200, mdmd rejecting them, then a check-in after the 25-hour window. */
const wrongMagicCase = (): Fact[] => [
  at('mdm.checkin.token_update', '2024-03-01T08:00:00Z', srv(1)),
  at('server.push_sent', '2024-03-04T09:00:00Z', srv(10), { status: '200' }),
  at('server.push_sent', '2024-03-04T15:00:00Z', srv(11), { status: '200' }),
  at('server.push_sent', '2024-03-05T11:00:00Z', srv(12), { status: '200' }),
  at('device.log.magic_rejection', '2024-03-04T09:00:01Z', dev(100)),
  at('device.log.magic_rejection', '2024-03-04T15:00:01Z', dev(101)),
  at('device.log.checkin', '2024-03-05T11:00:03Z', dev(200)),
];

/** PNG size from the IHDR chunk: width and height are the first two 32-bit fields after the signature and chunk header. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Decodes an 8-bit RGBA PNG into rows of pixels (undoing the per-row filters), to look for drawn text. */
function decodeRgba(png: Buffer): { width: number; rows: Buffer[] } {
  const { width, height } = pngSize(png);
  expect(png[24]).toBe(8); // bit depth
  expect(png[25]).toBe(6); // RGBA
  const idat: Buffer[] = [];
  for (let off = 8; off < png.length; ) {
    const len = png.readUInt32BE(off);
    const type = png.subarray(off + 4, off + 8).toString('ascii');
    if (type === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rows: Buffer[] = [];
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= 4 ? line[i - 4] : 0;
      const b = prev[i];
      const c = i >= 4 ? prev[i - 4] : 0;
      const p = a + b - c;
      const pr = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      line[i] = (line[i] + [0, a, b, (a + b) >> 1, pr][filter]) & 0xff;
    }
    rows.push(line);
    prev = line;
  }
  return { width, rows };
}

describe('timeline picture of the timed evidence', () => {
  it('draws pushes, rejections and a check-in as a PNG of the expected size', () => {
    const report = reportOf(wrongMagicCase());
    const model = timelineModel(report);
    expect(model.lanes).toEqual(['push', 'contact', 'device', 'enrollment']);
    const png = renderTimelinePng(report);
    expect(png).not.toBeNull();
    // 1200 wide; 90 px of title, four 90 px lanes, 64 px of axis, three 24 px legend rows and a margin.
    expect(pngSize(png!)).toEqual({ width: 1200, height: 598 });
    expect(timelineHeight(4)).toBe(598);
    expect(TIMELINE_WIDTH).toBe(1200);
  });

  it('draws the 25-hour self-healing window from the first wrong-magic rejection', () => {
    const model = timelineModel(reportOf(wrongMagicCase()));
    const first = Date.parse('2024-03-04T09:00:01Z');
    expect(model.spans).toContainEqual(
      expect.objectContaining({ lane: 'device', from: first, to: first + SELF_HEALING_MS, label: '25 h self-healing window' }),
    );
    const svg = timelineSvg(reportOf(wrongMagicCase()))!;
    expect(svg).toContain('25 h self-healing window, ends 2024-03-05 10:00:01 UTC');
  });

  it("counts the window from the device's own PushMagicMismatchDateMarker when the sysdiagnose has it", () => {
    const marker = '2024-03-04T08:00:00Z';
    const model = timelineModel(reportOf([...wrongMagicCase(), at('device.push_magic_mismatch_at', marker, dev(1))]));
    expect(model.spans.find((s) => s.lane === 'device')).toMatchObject({ from: Date.parse(marker), to: Date.parse(marker) + SELF_HEALING_MS });
  });

  it('labels the axis in UTC, with a title and a legend', () => {
    const svg = timelineSvg(reportOf(wrongMagicCase()))!;
    expect(svg).toContain('>Time (UTC)<');
    expect(svg).toContain('all times UTC');
    expect(svg).toContain('>Pushes sent (APNs answer)<');
    expect(svg).toContain('>wrong magic<');
    expect(svg).toContain('>push accepted by APNs (2xx)<');
    expect(svg).toContain('>device contacted the server<');
  });

  it('shows NotNow statuses on their own lane, in the deferred colour', () => {
    const report = reportOf([
      at('server.push_sent', '2024-03-04T09:00:00Z', srv(1), { status: '200' }),
      { name: 'mdm.command.status', value: 'NotNow', at: '2024-03-04T09:00:04Z', source: srv(2), attrs: { request_type: 'InstallProfile' } },
    ]);
    const model = timelineModel(report);
    expect(model.marks.find((m) => m.lane === 'command')).toMatchObject({ label: 'NotNow', tone: 'warn' });
    expect(timelineSvg(report)).toContain('NotNow (command deferred)');
  });

  it('draws text: the title row of the picture is not blank (the bundled font is found)', () => {
    const { width, rows } = decodeRgba(renderTimelinePng(reportOf(wrongMagicCase()))!);
    let dark = 0;
    for (const row of rows.slice(10, 35)) for (let x = 0; x < width * 4; x += 4) if (row[x] < 100 && row[x + 1] < 100 && row[x + 2] < 100) dark++;
    expect(dark).toBeGreaterThan(200);
  });

  it('never runs the renderer with fewer than two timed events', () => {
    let calls = 0;
    const render = () => {
      calls++;
      return Buffer.alloc(0);
    };
    expect(renderTimelinePng(reportOf([at('server.push_sent', '2024-03-04T09:00:00Z', srv(1), { status: '200' })]), { render })).toBeNull();
    expect(renderTimelinePng(reportOf([{ name: 'device.topic', value: 'com.apple.mgmt.External.x', source: dev(1) }]), { render })).toBeNull();
    expect(calls).toBe(0);
    renderTimelinePng(reportOf(wrongMagicCase()), { render });
    expect(calls).toBe(1);
  });
});

describe('the window: the failing pushes and what followed', () => {
  /** The wrong-magic story, with the profile installed and the enrollment half a year before. */
  const withHistory = (): Fact[] => [
    at('device.mdm_profile_installed_at', '2023-09-12T14:02:44Z', {
      kind: 'file',
      input: 'sysdiagnose.tar.gz',
      member: 'logs/MCState/Shared/profile-1.stub',
      line: 5,
    }),
    ...wrongMagicCase().map((f) => (f.name === 'mdm.checkin.token_update' ? { ...f, value: '2023-09-12T14:02:50Z', at: '2023-09-12T14:02:50Z' } : f)),
    at('device.sysdiagnose_at', '2024-03-05T12:30:00Z', dev(1)),
  ];
  const plotShare = (model: ReturnType<typeof timelineModel>, from: number, to: number) => (to - from) / (model.end - model.start);

  it('a profile installed months before does not shrink the 25-hour self-healing window to a sliver: it is named beside its lane', () => {
    const report = reportOf(withHistory());
    const model = timelineModel(report);
    const healing = model.spans.find((s) => s.lane === 'device')!;
    expect(new Date(model.start).toISOString()).toBe('2024-03-04T09:00:00.000Z'); // the first failing push
    expect(new Date(model.end).toISOString()).toBe('2024-03-05T12:30:00.000Z'); // the sysdiagnose taken after the check-in
    expect(plotShare(model, healing.from, healing.to)).toBeGreaterThan(0.6);
    const svg = timelineSvg(report)!;
    expect(svg).toContain('profile installed 2023-09-12 14:02:44 UTC, TokenUpdate 2023-09-12 14:02:50 UTC (before the axis)');
    expect(svg).toContain('6 of 8 events (the failing pushes and what followed)');
  });

  it('writes the times of events to the second, as the report does (09:00:00, not 09:00); axis ticks stay short', () => {
    const report = reportOf(withHistory());
    const svg = timelineSvg(report)!;
    // The subtitle's range is the first failing push and the sysdiagnose, both on the minute.
    expect(svg).toContain('from 2024-03-04 09:00:00 UTC to 2024-03-05 12:30:00 UTC');
    expect(report.timeline.some((e) => e.at === '2024-03-04T09:00:00Z')).toBe(true);
    expect(svg).not.toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    // A tick is a point on the scale: hours and minutes.
    expect(svg).toMatch(/>\d{2}:\d{2}</);
  });

  it('marks times written without a zone with a star, and says what the star means', () => {
    const zoneless = withHistory().map((f) => (f.name.startsWith('device.log.') ? { ...f, attrs: { ...f.attrs, zone: 'unknown' } } : f));
    const report = reportOf([...zoneless, at('device.log.courier_connected', '2024-03-04T12:00:00Z', dev(99), { zone: '-08:00' })]);
    const svg = timelineSvg(report)!;
    expect(svg).toContain('>wrong magic*<');
    expect(svg).toContain('>check-in*<');
    expect(svg).toContain('25 h self-healing window*, ends');
    expect(svg).toContain('* written without a zone, placed as written');
    expect(svg).toContain('>APNs connected<'); // an offset is known: converted to UTC, no star
    expect(timelineSvg(reportOf(withHistory()))).not.toContain('written without a zone');
  });

  it('with nothing failing, the latest pushes and answers, not years of history', () => {
    const report = reportOf([
      at('device.mdm_profile_installed_at', '2021-01-10T10:00:00Z', dev(1)),
      at('server.push_sent', '2024-03-04T09:00:00Z', srv(1), { status: '200' }),
      at('device.log.checkin', '2024-03-04T09:00:02Z', dev(2)),
      at('server.push_sent', '2024-03-04T09:30:00Z', srv(2), { status: '200' }),
      at('device.log.checkin', '2024-03-04T09:30:03Z', dev(3)),
    ]);
    const model = timelineModel(report);
    expect([model.start, model.end].map((t) => new Date(t).toISOString())).toEqual(['2024-03-04T09:00:00.000Z', '2024-03-04T09:30:03.000Z']);
    expect(timelineSvg(report)).toContain('(the latest activity)');
  });

  it('failures every day for over a year: the axis spans them all, labelled with whole dates', () => {
    const days = Array.from({ length: 400 }, (_, i) => new Date(Date.parse('2023-01-01T09:00:00Z') + i * 86_400_000).toISOString());
    const report = reportOf(days.map((d, i) => at('server.push_sent', d, srv(i + 1), { status: '410', reason: 'Unregistered' })));
    const svg = timelineSvg(report)!;
    const labels = [...svg.matchAll(/font-size="12" fill="#222222">([^<]+)</g)].map((m) => m[1]);
    expect(labels.length).toBeGreaterThan(2);
    expect(labels.every((l) => /^\d{4}-\d{2}/.test(l!))).toBe(true);
  });
});

describe('bundled font', () => {
  it('is DejaVu Sans as TrueType, straight from its package', () => {
    const ttf = readFileSync(timelineFontFile({}));
    expect(ttf.readUInt32BE(0)).toBe(0x00010000);
    expect(ttf.includes(Buffer.from('DejaVu Sans', 'latin1')) || ttf.includes(Buffer.from('DejaVu Sans', 'utf16le').swap16())).toBe(true);
  });

  it.each([
    ['Cyrillic', 'Ж', 'Б'],
    ['Greek', 'Ω', 'Σ'],
    ['arrows', '→', '↓'],
  ])('draws %s (device and server names are not all Latin): two letters come out as two different shapes', (_script, a, b) => {
    const draw = (ch: string) =>
      resvgRenderer(
        `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><text x="8" y="30" font-family="DejaVu Sans" font-size="28">${ch}</text></svg>`,
      );
    // A font without the letters draws both as the same empty box, or not at all.
    expect(draw(a).equals(draw(b))).toBe(false);
  });
});
