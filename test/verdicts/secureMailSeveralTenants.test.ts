import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch.js';
import { cause, diagnose } from './evidence.js';

/**
 * Troubleshooting step (seed 003, the APNs events file): "which subscription step failed?". One device's
 * CtxLog_APNS_Events.csv holding two tenants (two mail accounts in Secure Mail, or a second tenant tried
 * beside the first): the listener refused one tenant's registration with HTTP 500 and never accepted it,
 * while the other tenant's chain went through. The second tenant's success says nothing of the first
 * tenant's ID; only a later success for the same tenant (or one whose tenant is masked) makes it history.
 */
const TA = '0f3c9a52-7e1b-4c8d-9a61-2b5e8d4f7c10';
const TB = '7a1d2e3f-4b5c-4d6e-8f70-9a0b1c2d3e4f';
const LA = 'c3f1a7d2e9b84f6a0d5c2e7b9a1f3d8c';
const LB = 'd4e5f6a7b8c94d0e1f2a3b4c5d6e7f80';

const HEADER = 'Time,Operation,Status,Tenant ID,Listener Token,Tenant ID + Listener Token';
const row = (t: string, op: string, status: string, tenant: string, token = '') =>
  `30-Nov-2026 ${t} (+0000),${op},${status},${tenant},${token},${token ? tenant + token : ''}`;
const chain = (t: string, tenant: string, token: string) => [
  row(`${t}:04:118`, 'Get tenant ID', 'Success', tenant),
  row(`${t}:05:540`, 'Register device with listener service', 'Success', tenant, token),
  row(`${t}:05:902`, 'Subscribe to EWS push notifications', 'Success', tenant, token),
  row(`${t}:06:377`, 'Update listener service with EWS subscription', 'Success', tenant, token),
];
let n = 0;
/** The events file under its own name (Secure Mail's files are known by name), one folder per bundle. */
function events(rows: string[]): string {
  const dir = join(scratchDir('pushcheck-securemail-tenants-'), String(++n));
  mkdirSync(dir);
  writeFileSync(join(dir, 'CtxLog_APNS_Events.csv'), `${[HEADER, ...rows].join('\r\n')}\r\n`);
  return dir;
}

describe("two tenants in one events file: one tenant's registration refused with HTTP 500, the other's chain through", () => {
  const failedA = [row('08:00:02:118', 'Get tenant ID', 'Success', TA), row('08:00:03:540', 'Register device with listener service', 'Failed: HTTP 500', TA)];

  it("the other tenant's success does not rule the tenant ID out", async () => {
    const r = await diagnose(events([...failedA, ...chain('08:00', TB, LB)]));
    expect(cause(r, 'securemail.tenant_id')?.status).toMatch(/confirmed|likely|open/);
  });

  it("the same tenant's later success still makes the HTTP 500 history", async () => {
    const r = await diagnose(events([...failedA, ...chain('08:05', TA, LA)]));
    expect(cause(r, 'securemail.tenant_id')?.status).toBe('ruled_out');
  });

  it('a later success whose tenant is masked still counts (the bundle hides every tenant the same way)', async () => {
    const masked = [
      row('08:00:02:118', 'Get tenant ID', 'Success', '****'),
      row('08:00:03:540', 'Register device with listener service', 'Failed: HTTP 500', '****'),
    ];
    const r = await diagnose(events([...masked, ...chain('08:05', '****', 'xxxxxxxxxxxxxxxx')]));
    expect(cause(r, 'securemail.tenant_id')?.status).toBe('ruled_out');
  });
});
