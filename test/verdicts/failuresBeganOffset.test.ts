import { describe, expect, it } from 'vitest';
import { diagnose, facts, sysdiagnose, serverValues, mdmPushCert } from './evidence.js';

/**
 * Troubleshooting step: "when did the failures begin?" The engineer types it on their own clock, with its
 * offset (`2026-11-30T09:00+02:00`). The report and the Feedback draft give it in UTC, and beside it the
 * time as it was typed, so that the engineer recognises their answer and Apple sees both.
 */
const cert = () => mdmPushCert('2026-01-20T10:00:00Z', '2027-01-19T10:00:00Z');
const bundle = () => sysdiagnose({ taken: '2026.12.01_09-02-00+0000', lastPollingSuccess: '2026-12-01T08:40:11Z', installed: '2026-05-02T10:00:00Z' });
const CHECKED = [
  ...serverValues('2026-12-01T10:00:00Z'),
  ...['q.mdm.network_ok=yes', 'q.mdm.server_reachable=yes', 'q.mdm.push_soon_after_enrollment=no', 'q.mdm.push_status=200'].flatMap((a) => ['--answer', a]),
];

describe('when failures began, typed with an offset', () => {
  it('is kept in UTC with the offset it was typed in', async () => {
    const r = await diagnose(bundle(), cert(), ...CHECKED, '--answer', 'q.case.failures_began=2026-11-30T09:00+02:00');
    expect(facts(r, 'case.failures_began')[0]).toMatchObject({ value: '2026-11-30T07:00:00.000Z', attrs: { zone: '+02:00' } });
    expect(r.escalation.feedbackDraft as string).toContain('2026-11-30 07:00:00 UTC (09:00:00 at +02:00)');
  });

  it('typed in UTC: shown in UTC only', async () => {
    const r = await diagnose(bundle(), cert(), ...CHECKED, '--answer', 'q.case.failures_began=2026-11-30 07:00 UTC');
    expect(facts(r, 'case.failures_began')[0].attrs?.zone).toBeUndefined();
    expect(r.escalation.feedbackDraft as string).toContain('2026-11-30 07:00:00 UTC');
    expect(r.escalation.feedbackDraft as string).not.toContain('07:00:00 UTC (');
  });
});
