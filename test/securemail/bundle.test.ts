import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPath } from '../../src/evidence/read.js';
import { buildReport } from '../../src/case/index.js';
import { ctx, FIXTURES, run, statusOf } from './helpers.js';
import { buildZip } from './zip.js';

const dir = mkdtempSync(join(tmpdir(), 'pushcheck-securemail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = (p: string) => readFileSync(join(FIXTURES, p));

/** A Secure Mail "send logs" bundle from a device whose policies switch push off. */
function pushOffBundle(): string {
  const appLog = [
    'Date,Category,Module,Message',
    '02-Dec-2016 09:00:00:000 (+0000),INFO,Secure Mail.Application,Application did become active',
    '02-Dec-2016 09:00:00:100 (+0000),INFO,Secure Mail.APNS,Push notifications are disabled by policy; not subscribing',
    '02-Dec-2016 09:00:05:000 (+0000),INFO,Secure Mail.ActiveSync,Sync completed',
  ].join('\r\n');
  const zip = buildZip([
    { name: 'SecureMailLogs/CtxLog_AppPolicies.xml', data: fixture('push_off/CtxLog_AppPolicies.xml') },
    { name: 'SecureMailLogs/CTXLog_backgroundFetchSchedule.csv', data: fixture('no_push/CTXLog_backgroundFetchSchedule.csv') },
    { name: 'SecureMailLogs/CtxLog_SecureMail.csv', data: appLog },
  ]);
  const path = join(dir, 'SecureMail_logs.zip');
  writeFileSync(path, zip);
  return path;
}

describe('a Secure Mail log bundle whose policies switch push off', () => {
  it('confirms securemail.push_disabled_policy, citing the policy line inside the zip', async () => {
    const path = pushOffBundle();
    const read = await readPath(path, ctx);
    expect(read.problems).toEqual([]);
    const d = run(read);
    expect(statusOf(d, 'securemail.push_disabled_policy')).toBe('confirmed');
    const cause = d.causes.find((c) => c.cause.id === 'securemail.push_disabled_policy')!;
    expect(cause.decided[0].rule.id).toBe('securemail.push_disabled_policy.policy_false');
    expect(cause.decided[0].evidence.map((f) => [f.name, f.value, f.source])).toEqual([
      ['securemail.policy.push_enabled', false, { kind: 'file', input: path, member: 'SecureMailLogs/CtxLog_AppPolicies.xml', line: 4 }],
    ]);
  });

  it('lists only Secure Mail causes: nothing in the bundle is MDM, app push or NotNow evidence', async () => {
    const d = run(await readPath(pushOffBundle(), ctx));
    expect(d.domains).toEqual(['securemail']);
    expect(d.causes.every((c) => c.cause.domain === 'securemail')).toBe(true);
    const report = buildReport(d);
    expect(report.causes.map((c) => c.id).filter((id) => !id.startsWith('securemail.'))).toEqual([]);
    const top = report.causes[0];
    expect(top.id).toBe('securemail.push_disabled_policy');
    expect(top.evidence.map((e) => e.source)).toEqual([`${pushOffBundle()} › SecureMailLogs/CtxLog_AppPolicies.xml:4`]);
    expect(top.nextSteps.join(' ')).toMatch(/Push notifications on/);
  });

  it('also shows, from the schedule, that no push has woken the app (only background fetches)', async () => {
    const d = run(await readPath(pushOffBundle(), ctx));
    const only = d.facts.filter((f) => f.name === 'securemail.fetch.only_background_fetch').map((f) => f.value);
    expect(only).toEqual([true]);
    expect(statusOf(d, 'securemail.background_refresh_off')).toBe('ruled_out');
  });
});

describe('a damaged Secure Mail bundle', () => {
  it('reports each bad member by name and still reads the good ones', async () => {
    const garbage = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256));
    const zip = buildZip([
      { name: 'logs/CtxLog_APNS_Events.csv', data: garbage },
      { name: 'logs/CtxLog_AppPolicies.xml', data: fixture('truncated/CtxLog_AppPolicies.xml') },
      { name: 'logs/CTXLog_backgroundFetchSchedule.csv', data: fixture('healthy/CTXLog_backgroundFetchSchedule.csv') },
    ]);
    const path = join(dir, 'damaged.zip');
    writeFileSync(path, zip);
    const read = await readPath(path, ctx);
    const byMember = read.problems.filter((p) => p.code.startsWith('securemail.')).map((p) => [p.member, p.code]);
    expect(byMember).toEqual([
      ['logs/CtxLog_APNS_Events.csv', 'securemail.csv_not_text'],
      ['logs/CtxLog_AppPolicies.xml', 'securemail.policies_truncated'],
    ]);
    expect(read.facts.filter((f) => f.name === 'securemail.fetch.wakeup')).toHaveLength(11);
    expect(read.facts.filter((f) => f.name === 'securemail.policy.push_enabled').map((f) => f.value)).toEqual([true]);
  });
});
