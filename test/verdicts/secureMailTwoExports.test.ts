import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch.js';
import { cause, diagnose, facts } from './evidence.js';

/**
 * Troubleshooting step (seed 003, the APNs events file): "did the listener registration go through in the
 * end?", asked of two exports of the same device's CtxLog_APNS_Events.csv, one taken in the morning and one
 * in the afternoon, both opened and re-saved in Excel (which keeps only the wall clock). The later export
 * repeats the rows the earlier one held and adds what happened since: its state is what holds now, and a
 * row both exports hold is one event, not two. Tenant ID and listener token are masked, as bundles often are.
 */

const HEADER = 'Time,Operation,Status,Tenant ID,Listener Token,Tenant ID + Listener Token';
const row = (time: string, operation: string, status: string) => `${time},${operation},${status},****,xxxxxxxxxxxxxxxx,****xxxxxxxxxxxxxxxx`;

const MORNING = [
  row('12/1/2026 7:00', 'Get tenant ID', 'Success'),
  row('12/1/2026 7:01', 'Register device with listener service', 'Failed: HTTP 500'),
  row('12/1/2026 7:02', 'Register device with listener service', 'Failed: HTTP 500'),
];
const AFTERNOON = [
  ...MORNING,
  row('12/1/2026 9:00', 'Register device with listener service', 'Success'),
  row('12/1/2026 9:01', 'Subscribe to EWS push notifications', 'Success'),
  row('12/1/2026 9:01', 'Update listener service with EWS subscription', 'Success'),
];

let n = 0;
/** An export under the name Secure Mail gives it, in a folder of its own (two exports cannot share a folder). */
function events(rows: string[]): string {
  const dir = join(scratchDir('pushcheck-sm-exports-'), String(++n));
  mkdirSync(dir);
  const path = join(dir, 'CtxLog_APNS_Events.csv');
  writeFileSync(path, [HEADER, ...rows].join('\r\n'));
  return path;
}

describe('two Excel-re-saved exports of one events file, the later repeating the earlier', () => {
  it("the registration's HTTP 500s in the morning export are history: the afternoon export shows it succeeding later", async () => {
    const r = await diagnose(events(MORNING), events(AFTERNOON));
    expect(cause(r, 'securemail.tenant_id')?.status).toBe('ruled_out');
  });

  it('given in the other order, the same', async () => {
    const r = await diagnose(events(AFTERNOON), events(MORNING));
    expect(cause(r, 'securemail.tenant_id')?.status).toBe('ruled_out');
  });

  it('a row both exports hold is counted once: the failed registration stands for its two rows, not four', async () => {
    const later = [...MORNING, row('12/1/2026 9:00', 'Register device with listener service', 'Failed: HTTP 500')];
    const r = await diagnose(events(MORNING), events(later));
    const counted = facts(r, 'securemail.apns.failed_operation').filter((f) => !f.setAside);
    expect(counted.reduce((sum, f) => sum + (f.fold?.count ?? f.count ?? 1), 0)).toBe(3);
    // Failing still, in the later export: the HTTP 500 still points at the tenant ID.
    expect(cause(r, 'securemail.tenant_id')?.status).toBe('likely');
  });

  it('the morning export alone still points at the tenant ID (the failures are its latest word)', async () => {
    const r = await diagnose(events(MORNING));
    expect(cause(r, 'securemail.tenant_id')?.status).toBe('likely');
  });

  it("another device's export sharing no rows is on its own clock: its 9:00 success does not make this one's 7:01 history", async () => {
    const other = [
      row('12/1/2026 9:00', 'Register device with listener service', 'Success'),
      row('12/1/2026 9:01', 'Subscribe to EWS push notifications', 'Success'),
    ];
    const r = await diagnose(events(MORNING), events(other));
    expect(cause(r, 'securemail.tenant_id')?.status).toBe('likely');
  });
});
