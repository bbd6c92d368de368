import { describe, expect, it } from 'vitest';
import { diagnose, facts, file, goLog, MAGIC, mdmPushCert, nanoIdle, nanoLib, nanoPush, sysdiagnose, TOKEN, TOPIC, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step: "when did pushes to this device start failing?", for Apple's Feedback. The earliest
 * failed push is read with the same clock rules as every other judgement: a NanoMDM log in Go's format writes
 * the server's local time with no zone, and its pushes are never ordered against a zoned log's or the device's as
 * if both were UTC. Two devices share each log, with one-second times; every value below is made up.
 */

const SERVER = ['--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN, '--now', '2024-05-07T10:00:00Z'];
const CHECKED = ['--answer', 'q.mdm.network_ok=yes', '--answer', 'q.mdm.push_soon_after_enrollment=no', '--answer', `q.case.device=${UDID_A}`];

/** The server's log before its operator turned on NanoLIB's structured logger: local time, no zone. */
const zoneLess = (t: string) =>
  file('nanomdm-2024-05-06.log', `${[...nanoPush(goLog, t, UDID_A), ...nanoIdle(goLog, '2024-05-07T07:50:00', UDID_B)].join('\n')}\n`);
/** …and after: `ts=…Z`, in UTC. */
const zoned = file('nanomdm.log', `${[...nanoPush(nanoLib, '2024-05-07T08:30:00', UDID_A), ...nanoIdle(nanoLib, '2024-05-07T08:50:00', UDID_B)].join('\n')}\n`);
/** The device's own record, zoned: its last poll two days before, its sysdiagnose after both pushes. */
const device = (taken = '2024.05.07_09-02-00+0000') => sysdiagnose({ taken, lastPollingSuccess: '2024-05-05T06:40:11Z' });

const run = (...more: string[]) =>
  diagnose(zoneLess('2024-05-07T07:30:00'), zoned, device(), mdmPushCert('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'), ...SERVER, ...CHECKED, ...more);

describe("a zone-less server log's failed push beside a zoned one's", () => {
  it('neither is called the earliest: the zoned one is given with the zone-less one beside it, and the zone is asked', async () => {
    const r = await run();
    expect(facts(r, 'case.failed_push_at')).toHaveLength(2);
    const [seen] = facts(r, 'case.failures_seen_from');
    expect(seen.value).toBe('2024-05-07T08:30:00.000Z');
    expect(seen.attrs).toMatchObject({ order: 'unknown', rival: '2024-05-07 07:30:00 (zone unknown)' });
    const item = r.filing.checklist.find((c: { id: string }) => c.id === 'feedback.failures_began');
    expect(item.done).toBe(false);
    expect(item.todo).toMatch(/or one logged without a time zone that may be earlier: say which zone the server log is in \(q\.case\.log_time_zone\)/);
  });

  it('nor is the sysdiagnose said to come after the failures: 07:30 somewhere may be after 09:02 UTC', async () => {
    const r = await run();
    expect(facts(r, 'case.sysdiagnose_after_failure')).toEqual([]);
    expect(r.filing.checklist.find((c: { id: string }) => c.id === 'feedback.sysdiagnose').done).toBe(false);
  });

  it('once the zone is told (+02:00), the zone-less push is 05:30 UTC and plainly the earliest', async () => {
    const r = await run('--answer', 'q.case.log_time_zone=+02:00');
    const [seen] = facts(r, 'case.failures_seen_from');
    expect(seen.value).toBe('2024-05-07T05:30:00.000Z');
    expect(seen.attrs?.order).toBeUndefined();
    expect(facts(r, 'case.sysdiagnose_after_failure').map((f) => f.value)).toEqual([true]);
  });

  it('a zone-less push a day before the zoned one is the earliest whatever the zone, kept as logged (zone unknown)', async () => {
    const r = await diagnose(
      zoneLess('2024-05-06T07:30:00'),
      zoned,
      device(),
      mdmPushCert('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
      ...SERVER,
      ...CHECKED,
    );
    const [seen] = facts(r, 'case.failures_seen_from');
    expect(seen.value).toBe('2024-05-06T07:30:00.000Z');
    expect(seen.attrs).toEqual({ zone: 'unknown' });
    const item = r.filing.checklist.find((c: { id: string }) => c.id === 'feedback.failures_began');
    expect(item.todo).toMatch(/the server log's local time, zone unknown/);
  });
});

describe('the Feedback draft for those two pushes', () => {
  it('gives each time with its own clock, claims no span between them, and says either may be the first', async () => {
    const r = await run('--answer', 'q.mdm.server_reachable=yes', '--answer', 'q.mdm.push_status=200');
    expect(r.filing.status).toBe('ready');
    const draft = r.escalation.feedbackDraft as string;
    expect(draft).not.toMatch(/Between 2024-05-07 07:30:00 and 2024-05-07 08:30:00 UTC/);
    expect(draft).toContain('at 2024-05-07 07:30:00 (zone unknown), 2024-05-07 08:30:00 UTC (from logs with and without a time zone');
    expect(draft).toContain('When pushes started failing: 2024-05-07 08:30:00 UTC or 2024-05-07 07:30:00 (zone unknown)');
  });
});
