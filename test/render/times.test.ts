import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import type { Fact } from '../../src/facts/schema.js';
import { buildReport } from '../../src/report/build.js';
import { renderMarkdown, renderText } from '../../src/report/render/index.js';
import { formatSpan, formatTime, humanizeTimes } from '../../src/report/time.js';
import { summaryBlocks } from '../../src/slack/blocks/report.js';
import { slackText } from './slackText.js';
import { shipped } from '../support/rules.js';

/**
 * Troubleshooting step: "when did it fail?" Every time is read in UTC, with
 * the zone the log wrote when it was another one, and a time whose log
 * wrote no zone says so instead of passing for UTC (attrs.zone, as the
 * readers record it: an offset such as "-08:00", or "unknown").
 */
describe('a time in words', () => {
  it.each([
    ['2025-11-21T17:01:02.000Z', undefined, '2025-11-21 17:01:02 UTC'],
    ['2025-11-21T17:01:00.000Z', undefined, '2025-11-21 17:01:00 UTC'],
    ['2025-11-21T17:01:02.000Z', '-08:00', '2025-11-21 17:01:02 UTC (09:01:02 at -08:00)'],
    ['2025-11-21T03:15:00.000Z', '-08:00', '2025-11-21 03:15:00 UTC (2025-11-20 19:15:00 at -08:00)'],
    ['2025-11-21T03:15:00.000Z', '+0530', '2025-11-21 03:15:00 UTC (08:45:00 at +05:30)'],
    ['2025-11-21T09:01:02.000Z', 'unknown', '2025-11-21 09:01:02 (zone unknown)'],
    ['2025-11-21T09:01:02.000Z', '+00:00', '2025-11-21 09:01:02 UTC'],
  ])('%s with zone %s reads "%s"', (iso, zone, words) => {
    expect(formatTime(iso, zone)).toBe(words);
  });

  it.each([
    [
      'an MDM push reached the device at 2025-11-21T09:05:01.412Z: apsd received it',
      'an MDM push reached the device at 2025-11-21 09:05:01 UTC: apsd received it',
    ],
    ['polled at 2025-11-21T09:05:01Z, then', 'polled at 2025-11-21 09:05:01 UTC, then'],
    ['pushed at 2025-11-21T10:05:00+01:00: no answer', 'pushed at 2025-11-21 09:05:00 UTC (10:05:00 at +01:00): no answer'],
    ['pushed at 2025-11-21T09:05:00 (server log)', 'pushed at 2025-11-21 09:05:00 (zone unknown) (server log)'],
  ])('in a sentence, "%s" reads "%s" (a colon right after the zone does not lose it)', (text, words) => {
    expect(humanizeTimes(text)).toBe(words);
  });

  it('a push at 10:00:00 and an answer 59 s later do not both read "10:00": every time carries its seconds', () => {
    expect(formatTime('2025-11-21T10:00:00.000Z')).toBe('2025-11-21 10:00:00 UTC');
    expect(formatTime('2025-11-21T10:00:59.000Z')).toBe('2025-11-21 10:00:59 UTC');
    expect(humanizeTimes('pushed at 2025-11-21T10:00:00Z, answered at 2025-11-21T10:00:59Z')).toBe(
      'pushed at 2025-11-21 10:00:00 UTC, answered at 2025-11-21 10:00:59 UTC',
    );
  });

  it('a span of one log reads first to last, in one precision, with the zone once', () => {
    expect(formatSpan(['2025-11-21T17:14:05.500Z', '2025-11-21T17:01:02.123Z', '2025-11-21T17:07:40Z'], '-08:00')).toBe(
      '2025-11-21 17:01:02–17:14:05 UTC (09:01:02–09:14:05 at -08:00)',
    );
    expect(formatSpan(['2025-11-21T09:01:00Z', '2025-11-21T09:14:00Z'], 'unknown')).toBe('2025-11-21 09:01:00–09:14:00 (zone unknown)');
    expect(formatSpan(['2025-11-21T23:50:00Z', '2025-11-22T00:10:00Z'])).toBe('2025-11-21 23:50:00 UTC – 2025-11-22 00:10:00 UTC');
  });
});

const rules = shipped();
const archive = (member: string, line: number): Fact['source'] => ({
  kind: 'file',
  input: 'sysdiagnose_2025.11.21_09-20-11-0800_iPhone-OS_iPhone_22B83.tar.gz',
  member,
  line,
});
const rejection = (at: string, line: number, zone: string): Fact => ({
  name: 'device.log.magic_rejection',
  value: at,
  at,
  source: archive('logs/mdm/mdmd.log', line),
  attrs: { process: 'mdmd', zone },
});

/**
 * A device that rejects pushes for their magic, in a log written at -08:00, and, two days later, a CheckOut
 * from a server log with no zone. (A CheckOut before the rejections would be an enrollment the device has
 * since replaced: mdmd judging PushMagic shows it enrolled again, so the CheckOut would confirm nothing.)
 */
function report(zone: string, checkoutZone = 'unknown') {
  const facts: Fact[] = [
    rejection('2025-11-21T17:01:02Z', 12, zone),
    rejection('2025-11-21T17:07:40Z', 30, zone),
    rejection('2025-11-21T17:14:05Z', 41, zone),
    {
      name: 'mdm.checkin.checkout',
      value: true,
      at: '2025-11-23T08:00:00Z',
      source: { kind: 'file', input: 'mdm-server.log', line: 7 },
      attrs: { zone: checkoutZone },
    },
  ];
  return buildReport(diagnose({ facts }, rules));
}

describe('times in the reports', () => {
  it('repeated observations fold into one line with the span in UTC and the zone the log wrote', () => {
    const text = renderText(report('-08:00'));
    expect(text).toContain('logs/mdm/mdmd.log: 3 lines, 2025-11-21 17:01:02–17:14:05 UTC (09:01:02–09:14:05 at -08:00)');
    expect(renderMarkdown(report('-08:00'))).toContain('09:01:02–09:14:05 at -08:00');
  });

  it('a log with no zone: its times are marked, never passed off as UTC', () => {
    const text = renderText(report('unknown'));
    expect(text).toContain('logs/mdm/mdmd.log: 3 lines, 2025-11-21 17:01:02–17:14:05 (zone unknown)');
    expect(text).not.toMatch(/17:01:02–17:14:05 UTC/);
  });

  it('a rule that names an event says when, not "(true)"', () => {
    const r = report('-08:00');
    const unenrolled = r.causes.find((c) => c.id === 'mdm.unenrolled')!;
    // The JSON keeps the time exact and as written: ISO with no zone, since the log gave none.
    expect(unenrolled.because.join(' ')).toContain('The device sent CheckOut (2025-11-23T08:00:00)');
    expect(renderText(r, { detail: 'full' })).toContain('The device sent CheckOut (2025-11-23 08:00:00 (zone unknown))');
    for (const text of [renderText(r), renderText(r, { detail: 'full' }), renderMarkdown(r), slackText(summaryBlocks(r, { key: 'C:1' }))])
      expect(text).not.toMatch(/\((true|false)\)/);
  });

  it('a time the log wrote with an offset stays exact in the JSON (with that offset) and reads in UTC with it', () => {
    const r = report('-08:00', '-08:00');
    expect(r.causes.find((c) => c.id === 'mdm.unenrolled')!.because.join(' ')).toContain('The device sent CheckOut (2025-11-23T00:00:00-08:00)');
    expect(renderText(r, { detail: 'full' })).toContain('The device sent CheckOut (2025-11-23 08:00:00 UTC (00:00:00 at -08:00))');
  });
});
