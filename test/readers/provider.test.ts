import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPaste } from '../../src/evidence/read.js';
import { heldRules, run } from '../rules/helpers.js';
import { ctx } from '../text/helpers.js';
import { cause, diagnoseJson, facts, noteIds, sample, statusOf } from './helpers.js';

/**
 * The app push provider's side (TN2265 "Problems Connecting to the Push
 * Service", today's token-based authentication) and Apple's Push
 * Notifications Console, read from the provider's log and from what people
 * copy out of the console.
 */
const PROD_HOST = '2026-11-20T09:29:58.000Z INFO push-worker connected to api.push.apple.com:443\n';

describe('token-based authentication refused', () => {
  it('ExpiredProviderToken in the provider log confirms it, with the token rules in the next steps', async () => {
    const r = await diagnoseJson(sample('provider_token_expired.log'));
    const c = cause(r, 'apns.provider_token');
    expect(c.status).toBe('confirmed');
    expect(c.because.join(' ')).toContain('ExpiredProviderToken');
    expect(c.nextSteps.join(' ')).toMatch(/20 minutes.*60/);
    // The provider's own log names the topic it pushed on.
    expect(facts(r, 'apns.topic').map((f) => f.value)).toContain('com.acme.chat');
  });

  it('a key limited to the other environment is the same cause, with its own steps', () => {
    const d = run([
      { name: 'apns.response', value: 'BadEnvironmentKeyIdInToken', source: { kind: 'file', input: 'provider.log', line: 3 }, attrs: { status: '403' } },
    ]);
    expect(heldRules(d, 'apns.provider_token')).toContain('apns.provider_token.key_scope');
  });

  it('a .p8 the provider cannot parse never becomes a token', async () => {
    const r = await diagnoseJson(sample('provider_key_unusable.log'));
    expect(facts(r, 'apns.provider_key_error').map((f) => f.value)).toEqual(['parse_key']);
    expect(cause(r, 'apns.provider_token').rules.find((x) => x.id === 'apns.provider_token.key_unusable')?.result).toBe(true);
  });

  it('a wrong key id or team id is read as such', async () => {
    const { facts: fs } = await readPaste('push error: invalid key id 8K2XQ7M4TA for this team\npush error: team id does not match the key', 'pasted', ctx);
    expect(fs.filter((f) => f.name === 'apns.provider_key_error').map((f) => f.value)).toEqual(['key_id', 'team_id']);
  });

  it('APNs answering the provider rules it out (it authenticates before anything else)', () => {
    const d = run([{ name: 'apns.response', value: 'BadDeviceToken', source: { kind: 'file', input: 'provider.log', line: 3 }, attrs: { status: '400' } }]);
    expect(heldRules(d, 'apns.provider_token')).toContain('apns.provider_token.accepted');
  });

  it('the key page of the developer account shows the key limited to the sandbox while the provider sends to production', async () => {
    const r = await diagnoseJson('--paste', readFileSync(sample('push_console_key.txt'), 'utf8'), '--paste', PROD_HOST);
    const c = cause(r, 'apns.provider_token');
    expect(c.status).toBe('confirmed');
    expect(c.rules.find((x) => x.id === 'apns.provider_token.key_scope')?.result).toBe(true);
  });
});

describe('APNs refusing the provider token, as provider logs and pastes show it', () => {
  // Each reason is an answer about the provider's JWT, never about the device or its token: the
  // step is to fix how the provider signs, sends and renews its token.
  const forms: [reason: string, how: string, argv: string[], step: RegExp][] = [
    [
      'MissingProviderToken',
      'a provider log (403, no token and no certificate)',
      [sample('provider_token_missing.log')],
      /authorization header \(bearer <token>\)/,
    ],
    [
      'InvalidProviderToken',
      'a Go apns2 line pasted into the thread',
      ['--paste', 'apns2 push failed: 403 InvalidProviderToken apns-id=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d topic=com.acme.chat'],
      /ES256.*Key ID.*Team ID/,
    ],
    ['TooManyProviderTokenUpdates', 'a Java (Pushy) provider log (429)', [sample('provider_token_updates_pushy.log')], /no more often than every 20 minutes/],
  ];

  it.each(forms)('%s in %s confirms the provider token cause, and only it', async (reason, _how, argv, step) => {
    const r = await diagnoseJson(...argv);
    expect(facts(r, 'apns.response').map((f) => f.value)).toEqual([reason]);
    const c = cause(r, 'apns.provider_token');
    expect(c.status).toBe('confirmed');
    expect(c.because.join(' ')).toContain(reason);
    expect(c.nextSteps.join(' ')).toMatch(step);
    expect(r.causes.filter((x) => x.status === 'confirmed').map((x) => x.id)).toEqual(['apns.provider_token']);
  });
});

describe("a key limited to one app's topic (the key's page in the developer account)", () => {
  // A topic-specific key signs pushes for one bundle id only. The step: compare the key's topic with
  // the apns-topic the provider sends (without a push-type suffix such as .voip).
  const key = () => readFileSync(sample('push_console_key_topic.txt'), 'utf8');
  const log = (topic: string, accepted: boolean) =>
    `${[
      '2026-11-20T09:29:58.000Z INFO push-worker connected to api.push.apple.com:443',
      `2026-11-20T09:30:00.104Z INFO push-worker sending alert topic=${topic} apns-id=3b9e1f70-5c2a-4d8e-9b61-0a7c4e2f1d58 host=api.push.apple.com`,
      ...(accepted ? ['2026-11-20T09:30:00.212Z INFO push-worker APNs accepted push apns-id=3b9e1f70-5c2a-4d8e-9b61-0a7c4e2f1d58 status=200'] : []),
    ].join('\n')}\n`;

  it("signing pushes for another app's topic confirms the key is the problem", async () => {
    const r = await diagnoseJson('--paste', key(), '--paste', log('com.acme.mail', false));
    expect(facts(r, 'apns.key_topic').map((f) => f.value)).toEqual(['com.acme.chat']);
    const c = cause(r, 'apns.provider_token');
    expect(c.status).toBe('confirmed');
    expect(c.rules.find((x) => x.id === 'apns.provider_token.key_scope')?.result).toBe(true);
    expect(c.because.join(' ')).toMatch(/com\.acme\.chat.*com\.acme\.mail/);
  });

  it("the key's own app, even its VoIP topic, with APNs accepting the push: ruled out", async () => {
    const r = await diagnoseJson('--paste', key(), '--paste', log('com.acme.chat.voip', true));
    const c = cause(r, 'apns.provider_token');
    expect(c.rules.find((x) => x.id === 'apns.provider_token.key_scope')?.result).toBe(false);
    expect(c.status).toBe('ruled_out');
  });
});

describe('the provider cannot read its own identity (TN2265)', () => {
  it('permission denied on the certificate confirms it and names the file', async () => {
    const r = await diagnoseJson(sample('provider_identity_unreadable.log'));
    expect(facts(r, 'apns.provider_identity_unreadable')[0]).toMatchObject({ value: 'permission', attrs: { path: '/srv/acme/apns/push-prod.pem' } });
    const c = cause(r, 'apns.provider_identity_access');
    expect(c.status).toBe('confirmed');
    expect(c.nextSteps.join(' ')).toContain('readable by the user the provider runs as');
  });

  it('a keychain that refuses the provider is the same cause', async () => {
    const { facts: fs } = await readPaste(
      'apns: SecIdentityCopyPrivateKey failed: errSecInteractionNotAllowed (-25308) User interaction is not allowed.',
      'pasted',
      ctx,
    );
    expect(fs.filter((f) => f.name === 'apns.provider_identity_unreadable').map((f) => f.value)).toEqual(['keychain']);
  });

  it('when the provider cannot connect, the question is asked, and the answer settles it', async () => {
    const tls = '2026-11-20T10:00:00Z push: Post https://api.push.apple.com/3/device/x: remote error: tls: bad certificate\n';
    const asked = await diagnoseJson('--paste', tls);
    expect(asked.questions.map((q) => q.id)).toContain('q.apns.provider_reads_identity');
    const no = await diagnoseJson('--paste', tls, '--answer', 'q.apns.provider_reads_identity=no');
    expect(statusOf(no, 'apns.provider_identity_access')).toBe('confirmed');
    const yes = await diagnoseJson('--paste', tls, '--answer', 'q.apns.provider_reads_identity=yes');
    expect(statusOf(yes, 'apns.provider_identity_access')).toBe('ruled_out');
  });

  it('is not asked when nothing shows the provider failing to connect', async () => {
    const r = await diagnoseJson(sample('provider_token_expired.log'));
    expect(r.questions.map((q) => q.id)).not.toContain('q.apns.provider_reads_identity');
    expect(statusOf(r, 'apns.provider_identity_access')).toBe('ruled_out');
  });
});

describe("TN2265's own example: a sandbox identity against production", () => {
  it('"sslv3 alert certificate revoked" makes the environment mix-up likely', async () => {
    const r = await diagnoseJson(sample('provider_tls_revoked.log'));
    const c = cause(r, 'apns.environment_mismatch');
    expect(c.status).toBe('likely');
    expect(c.rules.find((x) => x.id === 'apns.environment_mismatch.tls_revoked')?.result).toBe(true);
    expect(c.because.join(' ')).toContain('revoked');
  });
});

describe("Apple's Push Notifications Console", () => {
  it('stored because the device is offline: the device has no connection, not the provider', async () => {
    const r = await diagnoseJson(sample('push_console_delivery_log.txt'));
    expect(facts(r, 'apns.console.delivery').map((f) => [f.value, f.attrs?.apns_id])).toEqual([
      ['received', '7d2e9c41-0b5a-4f3e-8c16-a94d2b7e05f1'],
      ['stored_offline', '7d2e9c41-0b5a-4f3e-8c16-a94d2b7e05f1'],
    ]);
    const c = cause(r, 'apns.no_connection');
    expect(c.status).toBe('likely');
    expect(c.nextSteps.join(' ')).toContain('The provider did its part');
  });

  it('delivered later from storage: the connection came back', async () => {
    const r = await diagnoseJson(sample('push_console_delivered_later.txt'));
    expect(statusOf(r, 'apns.no_connection')).toBe('ruled_out');
    expect(statusOf(r, 'apns.firewall')).toBe('ruled_out');
    expect(noteIds(r)).toContain('apns.note.delivered');
  });

  it('stored for power considerations is no fault: coalescing and budgets', async () => {
    const r = await diagnoseJson(sample('push_console_power.txt'));
    expect(statusOf(r, 'apns.coalesced')).toBe('likely');
    expect(noteIds(r)).toContain('apns.note.stored_for_power');
    expect(r.notes.find((n) => n.id === 'apns.note.stored_for_power')?.text).toContain('not a fault');
  });

  it('discarded, token unregistered: the app was removed or its token changed', async () => {
    const r = await diagnoseJson('--paste', 'Delivery Log\napns-id: 5e1d7c30-2a9b-4f86-b0c4-3d6e8f1a2b79\nReceived by APNs\nDiscarded - Token Unregistered');
    expect(cause(r, 'apns.app_removed').rules.find((x) => x.id === 'apns.app_removed.console_unregistered')?.result).toBe(true);
  });

  it('discarded, notifications disabled: a note, nothing the provider can change', async () => {
    const r = await diagnoseJson('--paste', 'Delivery Log\napns-id: 5e1d7c30-2a9b-4f86-b0c4-3d6e8f1a2b79\nDiscarded - Disabled');
    expect(noteIds(r)).toContain('apns.note.notifications_disabled');
  });

  it('a token valid only in development, sent to production: environment mix-up confirmed', async () => {
    const r = await diagnoseJson('--paste', readFileSync(sample('push_console_token_validator.txt'), 'utf8'), '--paste', PROD_HOST);
    const c = cause(r, 'apns.environment_mismatch');
    expect(c.status).toBe('confirmed');
    expect(c.rules.find((x) => x.id === 'apns.environment_mismatch.console_token')?.result).toBe(true);
  });

  it('a token the validator rejects: the provider holds a stale token', async () => {
    const r = await diagnoseJson('--paste', 'Device Token Validator\nResult: This device token is invalid for the Production environment.');
    expect(cause(r, 'apns.stale_token').rules.find((x) => x.id === 'apns.stale_token.console_invalid')?.result).toBe(true);
  });

  it('an accepted push with an apns-id and no Delivery Log: the note says to look it up', async () => {
    const r = await diagnoseJson(
      '--paste',
      '2026-11-20T09:30:00Z push-worker sent apns-id=3b9e1f70-5c2a-4d8e-9b61-0a7c4e2f1d58 status=200 topic=com.acme.chat host=api.push.apple.com',
    );
    const note = r.notes.find((n) => n.id === 'apns.note.look_up_apns_id');
    expect(note?.text).toContain('3b9e1f70-5c2a-4d8e-9b61-0a7c4e2f1d58');
    expect(note?.text).toContain('Push Notifications Console');
    const withLog = await diagnoseJson(
      '--paste',
      '2026-11-20T09:30:00Z push-worker sent apns-id=3b9e1f70-5c2a-4d8e-9b61-0a7c4e2f1d58 status=200 host=api.push.apple.com',
      '--paste',
      'Delivery Log\napns-id: 3b9e1f70-5c2a-4d8e-9b61-0a7c4e2f1d58\nDelivered to Device',
    );
    expect(noteIds(withLog)).not.toContain('apns.note.look_up_apns_id');
  });

  it('a refused push needs no lookup: its answer is its fate', async () => {
    const r = await diagnoseJson(sample('provider_token_expired.log'));
    expect(noteIds(r)).not.toContain('apns.note.look_up_apns_id');
  });
});
