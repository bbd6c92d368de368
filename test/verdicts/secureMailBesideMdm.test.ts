import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { cause, diagnose, file, goLog, nanoIdle, nanoPush, UDID_A } from './evidence.js';

/**
 * Troubleshooting step: one iPhone's Secure Mail log beside the MDM server's log of the same device. The MDM
 * push path working (the device polled right after its push) says nothing of Secure Mail's own push, which
 * goes through Citrix's listener and Exchange; and the statuses in Secure Mail's files are the listener's,
 * Exchange's or iOS's, never an answer from APNs.
 */
const SECURE_MAIL = fileURLToPath(new URL('../fixtures/securemail/failing/CtxLog_SecureMail.csv', import.meta.url));

const mdmLog = () =>
  file('nanomdm.log', `${[...nanoPush(goLog, '2026-11-30T08:00:00', UDID_A), ...nanoIdle(goLog, '2026-11-30T08:00:03', UDID_A)].join('\n')}\n`);

describe("Secure Mail's failing log beside an MDM log whose push was answered", () => {
  it("keeps Secure Mail's confirmed faults: the MDM push path working does not rule them out", async () => {
    const r = await diagnose(mdmLog(), file('CtxLog_SecureMail.csv', readFileSync(SECURE_MAIL)));
    expect(cause(r, 'securemail.missing_entitlement')?.status).toBe('confirmed');
    expect(r.headline).not.toMatch(/no fault/i);
  });

  it("says what Secure Mail's files recorded as their own status, not as an answer from APNs", async () => {
    const r = await cli('diagnose', mdmLog(), SECURE_MAIL);
    const seen = r.out.split('\n').filter((l) => /CtxLog_SecureMail\.csv/.test(l));
    expect(seen.length).toBeGreaterThan(0);
    for (const l of seen) expect(l).not.toMatch(/APNs answered/);
  });
});
