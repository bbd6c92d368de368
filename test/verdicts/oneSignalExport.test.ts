import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, note } from './evidence.js';

/**
 * Troubleshooting step: "the app sends through OneSignal; what does the message's delivery export say
 * about this iPhone?" The file follows OneSignal's Audience Activity CSV as its export reference lists the
 * columns (external_user_id, subscription_id, device_type, sent, delivered, clicked, onesignal_id, failed,
 * unsubscribed, failure_message); every id and time below is made up.
 */

const HEADER = 'external_user_id,subscription_id,device_type,sent,delivered,clicked,onesignal_id,failed,unsubscribed,failure_message';
const SUB_A = '7a1d3e5f-2b4c-4d6e-8f0a-1c3e5a7b9d2f';
const SUB_B = '9c3e5a7b-4d6f-4e80-a1c3-3e5a7c9b1d4f';
const SUB_C = '5f2c9b1e-8a3d-4c61-9b7e-2d4f6a8c0e13';
const SENT = '2026-11-20 09:30:02 UTC';

const row = (o: { user: string; sub: string; type?: string; delivered?: string; failed?: string; message?: string }) =>
  [o.user, o.sub, o.type ?? 'iOS', SENT, o.delivered ?? '', '', 'b1e4d7a0-3c52-4f8e-a9d6-71c0e2f4b835', o.failed ?? '', '', o.message ?? ''].join(',');

const exportOf = (...rows: string[]) => file('events_audience-activity.csv', `${[HEADER, ...rows].join('\n')}\n`);

describe("OneSignal's delivery export for one iPhone", () => {
  it('a failed row with Unregistered: the app was likely removed, at the time it failed (UTC)', async () => {
    const r = await diagnose(exportOf(row({ user: 'user-1042', sub: SUB_A, failed: '2026-11-20 09:30:03 UTC', message: 'Unregistered' })));
    expect(r.problems).toEqual([]);
    expect(facts(r, 'apns.relay_answer').map((f) => [f.value, f.at, f.attrs.relay, f.attrs.scope, f.attrs.subscription, f.origin.line])).toEqual([
      ['unregistered', '2026-11-20T09:30:03.000Z', 'onesignal', 'one', SUB_A, 2],
    ]);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
  });

  it('an APNs reason passed on is kept as that reason, and a delivered row is the device confirming receipt', async () => {
    const bad = await diagnose(exportOf(row({ user: 'user-1043', sub: SUB_B, failed: '2026-11-20T09:30:03Z', message: 'BadDeviceToken' })));
    expect(facts(bad, 'apns.relay_answer').map((f) => [f.value, f.attrs.reason])).toEqual([['apns_reason', 'BadDeviceToken']]);
    expect(cause(bad, 'apns.app_removed')?.status).not.toBe('likely');

    const ok = await diagnose(exportOf(row({ user: 'user-1041', sub: SUB_C, delivered: '2026-11-20 09:30:04 UTC' })));
    expect(facts(ok, 'apns.relay_delivered').map((f) => [f.value, f.attrs.subscription])).toEqual([['2026-11-20T09:30:04.000Z', SUB_C]]);
    expect(facts(ok, 'apns.relay_answer')).toEqual([]);
    expect(ok.problems).toEqual([]);
  });
});

describe("OneSignal's delivery export for a whole audience", () => {
  it("each iOS failure is its own subscription's; none is taken for the case's device, and Android rows are not read", async () => {
    const r = await diagnose(
      exportOf(
        row({ user: 'user-1041', sub: SUB_C, delivered: '2026-11-20 09:30:04 UTC' }),
        row({ user: 'user-1042', sub: SUB_A, failed: '2026-11-20 09:30:03 UTC', message: 'Unregistered' }),
        row({ user: 'user-1043', sub: SUB_B, failed: '2026-11-20 09:30:03 UTC', message: '"Invalid push token, check the app\'s APNs setup"' }),
        row({ user: 'user-1044', sub: '1e5a7c9d-6f80-4a12-83e5-5a7c9e1d3f60', type: 'Android', failed: '2026-11-20 09:30:03 UTC', message: 'NotRegistered' }),
      ),
    );
    expect(facts(r, 'apns.relay_answer').map((f) => [f.value, f.attrs.scope, f.attrs.subscription])).toEqual([
      ['invalid_registration', 'several', SUB_B],
      ['unregistered', 'several', SUB_A],
    ]);
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
    expect(note(r, 'apns.note.relay_several_devices')?.text).toMatch(/subscription id/);
  });

  it('as the export API hands it over (a .csv.gz named events_audience-activity-…): read from inside the gzip', async () => {
    const csv = `${[HEADER, row({ user: 'user-1042', sub: SUB_A, failed: '2026-11-20 09:30:03 UTC', message: 'Unregistered' })].join('\n')}\n`;
    const r = await diagnose(file('events_audience-activity-5b2e7c1d-push-2026-11-20T09-30-00PMUTC.csv.gz', gzipSync(csv)));
    expect(facts(r, 'apns.relay_answer').map((f) => [f.value, f.source])).toEqual([['unregistered', expect.stringMatching(/\.csv\.gz › .*\.csv:2$/)]]);
  });

  it('a CSV of another kind is not taken for an export', async () => {
    const r = await diagnose(file('users.csv', 'id,name,failure_message\n1,anna,none\n'), '--answer', 'q.case.domain=apns');
    expect(facts(r, 'apns.relay_answer')).toEqual([]);
  });
});
