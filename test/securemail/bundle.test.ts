import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { readBuffer } from '../../src/evidence/dispatch.js';
import type { ReadResult } from '../../src/evidence/types.js';
import { buildReport } from '../../src/report/build.js';
import { ctx, FIXTURES, run, statusOf } from './helpers.js';
import { buildZip } from './zip.js';

const dir = mkdtempSync(join(tmpdir(), 'pushcheck-securemail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Hands each member of a zip to the readers with item.member set, as the
 * archive reader does. (Until readPath streams zips itself, the test opens
 * the zip here; the readers see exactly what they will see then.)
 */
function readZip(path: string): Promise<ReadResult> {
  return new Promise((resolve, reject) => {
    const out: ReadResult = { facts: [], problems: [] };
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, async (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          for await (const c of stream) chunks.push(c as Buffer);
          const r = await readBuffer({ input: path, member: entry.fileName }, Buffer.concat(chunks), ctx);
          out.facts.push(...r.facts);
          out.problems.push(...r.problems);
          zip.readEntry();
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

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
    const read = await readZip(path);
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
    const d = run(await readZip(pushOffBundle()));
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
    const d = run(await readZip(pushOffBundle()));
    const only = d.facts.filter((f) => f.name === 'securemail.fetch.only_background_fetch').map((f) => f.value);
    expect(only).toEqual([true]);
    expect(statusOf(d, 'securemail.background_refresh_off')).toBe('ruled_out');
  });
});
