import { describe, expect, it } from 'vitest';
import { diagnose, facts, file, logShow, note, questionIds, TOPIC } from './evidence.js';

/**
 * Troubleshooting step: "did the device answer the push that APNs took?"
 * The engineer types when the server's push went out ("APNs returned 200 at
 * 09:05"), with no date and no zone; the Mac's `log show` export of the
 * device's lines writes +0100. 09:05 typed could be 08:05 UTC (Berlin) or
 * 09:05 UTC: an hour or a second from the device's poll. Like any time
 * without a zone, it is never compared until the zone is known, and the
 * zone is asked because here the comparison decides the verdict.
 */

const deviceLog = (day: string) =>
  logShow([
    [`${day} 10:05:01.412331+0100`, 'apsd', `[com.apple.apsd:courier] Received message for enabled topic '${TOPIC}'`],
    [`${day} 10:05:01.801002+0100`, 'mdmclient', '[com.apple.ManagedClient:MDMDaemon] Received HTTP response (200) [Idle]'],
  ]);
const device = file('mdmclient-berlin.log', deviceLog('2024-03-04'));
const typed = 'our MDM pushed to the iPhone, APNs returned 200 at 09:05';

describe('"APNs returned 200 at 09:05" beside a device log of one day, with its offset', () => {
  it('asks for the zone first, names the typed time as zone-less, and judges nothing yet', async () => {
    const r = await diagnose(device, '--paste', typed, '--topic', TOPIC);
    expect(questionIds(r)[0]).toBe('q.case.log_time_zone');
    expect(facts(r, 'server.push_answered')).toEqual([]);
    expect(note(r, 'case.note.zone_less_times')?.text).toContain('--paste (2024-03-04 09:05:00, no zone written)');
    expect(facts(r, 'mdm.apns_response')[0]).toMatchObject({
      at: '2024-03-04T09:05:00.000Z',
      attrs: { time: '09:05:00', zone: 'unknown', date_from: 'the date of the rest of the evidence (2024-03-04)' },
    });
  });

  it('typed in UTC: the poll a second later answers it', async () => {
    const r = await diagnose(device, '--paste', typed, '--topic', TOPIC, '--answer', 'q.case.log_time_zone=UTC');
    expect(facts(r, 'server.push_answered').map((f) => [f.value, f.at])).toEqual([[true, '2024-03-04T09:05:00.000Z']]);
    expect(questionIds(r)).not.toContain('q.case.log_time_zone');
  });

  it('typed in Berlin time: the push was 08:05 UTC and nothing answered it within the minute', async () => {
    const r = await diagnose(device, '--paste', typed, '--topic', TOPIC, '--answer', 'q.case.log_time_zone=Europe/Berlin');
    expect(facts(r, 'server.push_answered').map((f) => [f.value, f.at])).toEqual([[false, '2024-03-04T08:05:00.000Z']]);
  });
});

describe('the same typed time beside evidence from two days', () => {
  it('is not given a date (nothing guessed), so it is never compared and no zone is asked for it', async () => {
    const twoDays = file('mdmclient-two-days.log', `${deviceLog('2024-03-04')}${deviceLog('2024-03-05').split('\n').slice(2).join('\n')}`);
    const r = await diagnose(twoDays, '--paste', typed, '--topic', TOPIC);
    expect(facts(r, 'mdm.apns_response')[0].at).toBeUndefined();
    expect(facts(r, 'server.push_answered')).toEqual([]);
    expect(questionIds(r)).not.toContain('q.case.log_time_zone');
  });
});
