import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose, questionIds } from './evidence.js';

/**
 * Troubleshooting step (seed 003): Secure Mail's pushes come from Citrix's listener service, not from a
 * provider of the customer's. Secure Mail's own log prints the app's registration callback
 * (didRegisterForRemoteNotificationsWithDeviceToken); that line is read for Secure Mail, and must not turn
 * the case into an app push case whose first question is which APNs host "the provider" sends to.
 */
const HEALTHY = fileURLToPath(new URL('../fixtures/securemail/healthy/', import.meta.url));

describe('a Secure Mail log bundle whose app log shows the device token it registered with', () => {
  it('is a Secure Mail case, not an app push case asking about the provider', async () => {
    const r = await diagnose(HEALTHY);
    expect(r.domains).toEqual(['securemail']);
    expect(questionIds(r).every((q: string) => !q.startsWith('q.apns.'))).toBe(true);
  });
});
