import { describe, expect, it } from 'vitest';
import { cause, diagnose, MAGIC, OLD_MAGIC, questionIds, sysdiagnose, UDID_A, webhookTokenUpdate } from './evidence.js';

/**
 * Troubleshooting step: "does the server hold the PushMagic and token the device has now?" A sysdiagnose
 * shows what the device held when it was taken. When the same device sent a TokenUpdate after that (it
 * re-enrolled, or was restored from a backup), the TokenUpdate is what it holds now, and the server took
 * its values from it: the sysdiagnose's older PushMagic or token hash no longer says the server's are wrong.
 * A TokenUpdate from before the sysdiagnose says nothing of what the device changed since.
 */

const NEW_TOKEN = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';
/** Taken at 12:00 UTC; holds MAGIC and the hash of TOKEN. */
const bundle = () => sysdiagnose({ taken: '2026.11.20_12-00-00+0000', lastPollingSuccess: '2026-11-20T09:00:00Z' });

describe('a TokenUpdate the device sent after its sysdiagnose was taken', () => {
  it('with a new token (restored from a backup): the older LastPushTokenHash does not confirm a wrong token', async () => {
    const r = await diagnose(bundle(), webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T13:00:00Z', token: NEW_TOKEN }));
    expect(cause(r, 'mdm.wrong_token')?.status).not.toBe('confirmed');
    expect(r.headline).not.toMatch(/token the device no longer has/);
  });

  it('with a new PushMagic (re-enrolled): the older PushMagic does not confirm a wrong magic', async () => {
    const r = await diagnose(bundle(), webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T13:00:00Z', magic: OLD_MAGIC }));
    expect(cause(r, 'mdm.wrong_magic')?.status).not.toBe('confirmed');
    // What the device holds now is asked for, not taken from the older sysdiagnose.
    expect(questionIds(r)).toContain('q.mdm.device_magic');
  });
});

describe('a TokenUpdate from before the sysdiagnose', () => {
  it('the device changed its token since, and the server never heard: the wrong token is confirmed', async () => {
    const r = await diagnose(bundle(), webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T11:00:00Z', token: NEW_TOKEN }));
    expect(cause(r, 'mdm.wrong_token')?.status).toBe('confirmed');
  });

  it('the device re-enrolled since, with a new PushMagic the server never got: the wrong magic is confirmed', async () => {
    const r = await diagnose(bundle(), webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T11:00:00Z', magic: OLD_MAGIC }));
    expect(cause(r, 'mdm.wrong_magic')?.status).toBe('confirmed');
  });

  it('a later TokenUpdate with the same values leaves the match standing', async () => {
    const r = await diagnose(bundle(), webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T13:00:00Z', magic: MAGIC }));
    expect(cause(r, 'mdm.wrong_magic')?.status).toBe('ruled_out');
    expect(cause(r, 'mdm.wrong_token')?.status).toBe('ruled_out');
  });
});
