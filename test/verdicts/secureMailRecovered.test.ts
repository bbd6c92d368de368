import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cause, diagnose } from './evidence.js';

/**
 * Troubleshooting step (seed 003, the APNs events file): "which subscription step failed?". A step that
 * failed once and succeeded on a later try is history: the listener accepted the tenant ID the second time,
 * so the earlier HTTP 500 no longer points at a wrong tenant ID. The tenant ID and listener token are
 * masked, as support bundles often are.
 */
const RECOVERED = fileURLToPath(new URL('../fixtures/securemail/recovered/', import.meta.url));

describe('a listener registration that failed with HTTP 500, then succeeded five minutes later', () => {
  it('does not call the tenant ID wrong: the listener accepted it on the retry', async () => {
    const r = await diagnose(RECOVERED);
    expect(cause(r, 'securemail.tenant_id')?.status).toBe('ruled_out');
  });

  it('the failure still stands when no later try of that step succeeded', async () => {
    const r = await diagnose(fileURLToPath(new URL('../fixtures/securemail/failing/CtxLog_APNS_Events.csv', import.meta.url)));
    expect(cause(r, 'securemail.tenant_id')?.status).toBe('likely');
  });
});

describe('an app log whose subscription failed (HTTP 500, then a timeout) and succeeded five minutes later', () => {
  const log = fileURLToPath(new URL('../fixtures/securemail/recovered_log/', import.meta.url));

  it('neither the network nor the tenant ID is blamed: the later subscription went through and a push arrived', async () => {
    const r = await diagnose(log);
    expect(cause(r, 'securemail.subscription_network')?.status).not.toMatch(/confirmed|likely/);
    expect(cause(r, 'securemail.tenant_id')?.status).not.toMatch(/confirmed|likely/);
  });

  it('the same failures with no later success still point at the network', async () => {
    const failing = fileURLToPath(new URL('../fixtures/securemail/failing/CtxLog_SecureMail.csv', import.meta.url));
    const r = await diagnose(failing);
    expect(cause(r, 'securemail.subscription_network')?.status).toBe('confirmed');
  });
});

describe('getting the tenant ID failed, and a later try got as far as registering with the listener', () => {
  it('the tenant ID is not blamed: registering needs one, and the listener took it', async () => {
    const r = await diagnose(fileURLToPath(new URL('../fixtures/securemail/recovered_tenant/', import.meta.url)));
    expect(cause(r, 'securemail.tenant_id')?.status).not.toMatch(/confirmed|likely/);
  });
});
