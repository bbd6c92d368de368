import { describe, expect, it } from 'vitest';
import { CaseService } from '../../src/case/index.js';
import type { Report } from '../../src/report/types.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { file } from '../verdicts/evidence.js';

/**
 * Troubleshooting as a thread goes: a provider log first, then the engineer's answers, then a second file.
 * Each step refines the diagnosis the thread already has: a confirmed cause stays confirmed and a ruled-out
 * one stays ruled out unless newer evidence of the same kind replaces the old (not tested here).
 */
const at = '2026-11-30T12:00:00.000Z';
const who = { by: 'U1', at };
const FIRST = '5f1c0a9d2b7e4c3f8a6d1e0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f';
const SECOND = '0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f5f1c0a9d2b7e4c3f8a6d1e';

const statuses = (r: Report) => new Map(r.causes.map((c) => [c.id, c.status]));

/** What a later report says of causes the earlier one had settled, where it says otherwise. */
function contradictions(before: Report, after: Report): string[] {
  const now = statuses(after);
  const out: string[] = [];
  for (const [id, was] of statuses(before)) if ((was === 'confirmed' || was === 'ruled_out') && now.get(id) !== was) out.push(`${id}: ${was} → ${now.get(id)}`);
  return out;
}

describe('an app push case refined step by step in one thread', () => {
  it('node-apn log of two tokens → which device → which host → which build → a second log: each step refines', async () => {
    const sessions = new CaseService(new SqliteStore({ path: ':memory:', retentionMs: 86_400_000 }));
    await sessions.open('k', { channel: 'C', threadTs: '1' });
    const log = file(
      'push-worker.log',
      [
        `2026-11-30T09:14:02.412Z error: apn failed { device: '${FIRST}', status: '400', response: { reason: 'BadDeviceToken' } }`,
        `2026-11-30T09:14:02.413Z error: apn failed { device: '${SECOND}', status: '410', response: { reason: 'Unregistered' } }`,
        '',
      ].join('\n'),
    );
    const reports: Report[] = [(await sessions.addPath('k', log, who)).report];
    expect(reports[0]!.questions.map((q) => q.id)).toContain('q.case.device');

    for (const [question, value] of [
      ['q.case.device', FIRST],
      ['q.apns.provider_host', 'production'],
      ['q.apns.token_environment', 'development'],
    ] as const) {
      const a = await sessions.answer('k', { question, value, ...who });
      expect(a.ok, question).toBe(true);
      reports.push((await sessions.current('k')).report);
    }
    const status = (r: Report, id: string) => r.causes.find((c) => c.id === id)?.status;
    expect(status(reports[1]!, 'apns.environment_mismatch')).toBe('likely');
    expect(status(reports[1]!, 'apns.app_removed')).not.toBe('likely');
    expect(status(reports[3]!, 'apns.environment_mismatch')).toBe('confirmed');

    // The second file: the same provider, a minute later, still refused on the production host.
    const later = file(
      'push-worker-2.log',
      `2026-11-30T09:15:02.000Z WARN apns: POST https://api.push.apple.com/3/device/${FIRST} status=400 reason=BadDeviceToken\n`,
    );
    reports.push((await sessions.addPath('k', later, who)).report);
    expect(status(reports[4]!, 'apns.environment_mismatch')).toBe('confirmed');

    for (let i = 1; i < reports.length; i++) expect(contradictions(reports[i - 1]!, reports[i]!), `step ${i}`).toEqual([]);
  });
});

describe('a second file with newer evidence of the same kind', () => {
  it('a later accepted push to the token replaces the earlier Unregistered, and the thread is told what changed', async () => {
    const sessions = new CaseService(new SqliteStore({ path: ':memory:', retentionMs: 86_400_000 }));
    await sessions.open('k', { channel: 'C', threadTs: '1' });
    const first = await sessions.addPath(
      'k',
      file('monday.log', `2026-11-30T10:00:00Z WARN apns: POST https://api.push.apple.com/3/device/${SECOND} status=410 reason=Unregistered\n`),
      who,
    );
    expect(first.report.causes.find((c) => c.id === 'apns.app_removed')?.status).toBe('likely');
    const second = await sessions.addPath(
      'k',
      file(
        'tuesday.log',
        `2026-12-01T10:00:00Z INFO apns: POST https://api.push.apple.com/3/device/${SECOND} status=200 apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c\n`,
      ),
      who,
    );
    expect(second.report.causes.find((c) => c.id === 'apns.app_removed')?.status).not.toBe('likely');
    expect(second.changes.join('\n')).toMatch(/The app was removed from the device: likely → /);
  });
});
