// Each rule of rules/apns.yml and rules/mdm-certificate.yml, fired and ruled
// out through the shipped rule set, the way a support engineer would walk
// through TN2265: what the files say, what APNs answered, what someone checked.
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/engine/answers.js';
import { diagnose, type Diagnosis } from '../../src/engine/diagnose.js';
import type { Fact, FactValue } from '../../src/facts/schema.js';
import { shipped } from '../support/rules.js';

const rules = shipped();
const run = (facts: Fact[], answers: Answer[] = []): Diagnosis => diagnose({ facts, answers }, rules);
const statusOf = (d: Diagnosis, cause: string) => d.causes.find((c) => c.cause.id === cause)?.status;
const held = (d: Diagnosis, cause: string) => d.causes.find((c) => c.cause.id === cause)?.decided.map((r) => r.rule.id) ?? [];

/** A fact read off a file the engineer attached. */
const file = (name: string, value: FactValue, extra: Partial<Fact> = {}): Fact => ({ name, value, source: { kind: 'file', input: 'evidence' }, ...extra });
/** An APNs answer as pasted. */
const answer = (reason: string, extra: Partial<Fact> = {}): Fact => ({
  name: 'apns.response',
  value: reason,
  source: { kind: 'pasted', input: 'pasted text' },
  ...extra,
});
const yes = (question: string): Answer => ({ question, value: 'yes' });
const no = (question: string): Answer => ({ question, value: 'no' });

const BUNDLE = file('app.bundle_id', 'com.example.demo');
const PRODUCTION_HOST = file('apns.endpoint', 'production', { attrs: { host: 'api.push.apple.com' } });
const NOW = (t: string) => file('case.now', t, { source: { kind: 'derived', how: 'time of the run', from: [] } });
const appCert = (notAfter: string, env = 'production'): Fact[] => [
  file('cert.topic', 'com.example.demo', { attrs: { kind: 'app', topic: 'com.example.demo' } }),
  file('cert.not_after', notAfter, { attrs: { kind: 'app', topic: 'com.example.demo' } }),
  file('cert.environment', env, { attrs: { kind: 'app', topic: 'com.example.demo' } }),
];
const MDM_TOPIC = 'com.apple.mgmt.External.2a3c1d2e-9f10-4b5c-8d7e-0a1b2c3d4e5f';
const mdmCert = (notAfter: string, topic = MDM_TOPIC): Fact[] => [
  file('cert.mdm_topic', topic, { attrs: { kind: 'mdm', topic } }),
  file('cert.not_after', notAfter, { attrs: { kind: 'mdm', topic } }),
];

interface Case {
  step: string;
  facts?: Fact[];
  answers?: Answer[];
  cause: string;
  status: 'confirmed' | 'likely' | 'open' | 'ruled_out';
  rule: string;
}

const cases: Case[] = [
  // No persistent connection (TN2265 "No Delegate Callbacks", "Observing Push Status Messages")
  {
    step: 'neither registration callback is ever called',
    answers: [{ question: 'q.apns.registration', value: 'none' }],
    cause: 'apns.no_connection',
    status: 'confirmed',
    rule: 'apns.no_connection.no_callback',
  },
  {
    step: 'apsd logs connection failures and never a courier',
    facts: [BUNDLE, file('device.log.connection_failure', '2026-11-20T10:00:00.000Z')],
    cause: 'apns.no_connection',
    status: 'likely',
    rule: 'apns.no_connection.log_failures',
  },
  {
    step: 'apsd received notifications',
    facts: [BUNDLE, file('device.log.push_received', '2026-11-20T10:00:00.000Z')],
    cause: 'apns.no_connection',
    status: 'ruled_out',
    rule: 'apns.no_connection.connected',
  },
  // Firewall
  {
    step: 'pushes arrive on cellular but not on the office Wi-Fi',
    answers: [yes('q.apns.other_network')],
    cause: 'apns.firewall',
    status: 'confirmed',
    rule: 'apns.firewall.other_network_works',
  },
  {
    step: 'someone checked: port 5223 is blocked',
    facts: [BUNDLE],
    answers: [no('q.mdm.network_ok')],
    cause: 'apns.firewall',
    status: 'confirmed',
    rule: 'apns.firewall.network_blocked',
  },
  {
    step: "the provider's connection to APNs times out",
    facts: [file('apns.provider_connect_error', 'timeout')],
    cause: 'apns.firewall',
    status: 'confirmed',
    rule: 'apns.firewall.provider_blocked',
  },
  {
    step: 'the network lets push traffic through',
    facts: [BUNDLE],
    answers: [yes('q.mdm.network_ok')],
    cause: 'apns.firewall',
    status: 'ruled_out',
    rule: 'apns.firewall.network_fine',
  },
  // Missing entitlement (TN2265 "Error Delegate Callback")
  {
    step: 'codesign shows no aps-environment',
    facts: [file('app.push_entitlement', false)],
    cause: 'apns.missing_entitlement',
    status: 'confirmed',
    rule: 'apns.missing_entitlement.app_signature',
  },
  {
    step: 'the provisioning profile has no aps-environment',
    facts: [file('provisioning.push_entitlement', false)],
    cause: 'apns.missing_entitlement',
    status: 'confirmed',
    rule: 'apns.missing_entitlement.profile',
  },
  {
    step: "registration failed: no valid 'aps-environment' entitlement",
    facts: [file('device.log.aps_environment_missing', '2026-11-20T10:00:00.000Z')],
    cause: 'apns.missing_entitlement',
    status: 'confirmed',
    rule: 'apns.missing_entitlement.registration_error',
  },
  {
    step: 'codesign shows aps-environment production',
    facts: [file('app.push_entitlement', true), file('app.aps_environment', 'production')],
    cause: 'apns.missing_entitlement',
    status: 'ruled_out',
    rule: 'apns.missing_entitlement.present',
  },
  {
    step: "apsd received the app's push right after APNs's 200",
    facts: [
      BUNDLE,
      file('apns.push_reached_device', '2026-11-20T10:00:00.300Z', {
        at: '2026-11-20T10:00:00.300Z',
        attrs: { topic: 'com.example.demo', pushed_at: '2026-11-20T10:00:00.000Z' },
      }),
    ],
    cause: 'apns.missing_entitlement',
    status: 'ruled_out',
    rule: 'apns.missing_entitlement.push_reached_device',
  },
  // Stale provisioning profile
  {
    step: 'push is on for the App ID but the profile lacks it',
    facts: [file('provisioning.push_entitlement', false)],
    answers: [yes('q.apns.app_id_push')],
    cause: 'apns.stale_provisioning_profile',
    status: 'confirmed',
    rule: 'apns.stale_provisioning_profile.before_push_enabled',
  },
  {
    step: 'the profile lacks push and nobody has looked at the App ID yet',
    facts: [file('provisioning.push_entitlement', false)],
    cause: 'apns.stale_provisioning_profile',
    status: 'likely',
    rule: 'apns.stale_provisioning_profile.lacks_push',
  },
  {
    step: 'the profile expired in 2016',
    facts: [file('provisioning.push_entitlement', true), file('provisioning.expires', '2016-06-24T11:17:08.000Z'), NOW('2026-11-20T12:00:00.000Z')],
    cause: 'apns.stale_provisioning_profile',
    status: 'confirmed',
    rule: 'apns.stale_provisioning_profile.expired',
  },
  {
    step: 'the profile is current and carries push',
    facts: [file('provisioning.push_entitlement', true), file('provisioning.expires', '2027-06-24T00:00:00.000Z'), NOW('2026-11-20T12:00:00.000Z')],
    cause: 'apns.stale_provisioning_profile',
    status: 'ruled_out',
    rule: 'apns.stale_provisioning_profile.current',
  },
  {
    step: 'codesign shows the app signed with aps-environment',
    facts: [file('app.push_entitlement', true), file('app.aps_environment', 'production')],
    cause: 'apns.stale_provisioning_profile',
    status: 'ruled_out',
    rule: 'apns.stale_provisioning_profile.app_entitled',
  },
  {
    step: "apsd received the app's push right after APNs's 200 (the profile was fine)",
    facts: [
      BUNDLE,
      file('apns.push_reached_device', '2026-11-20T10:00:00.300Z', {
        at: '2026-11-20T10:00:00.300Z',
        attrs: { topic: 'com.example.demo', pushed_at: '2026-11-20T10:00:00.000Z' },
      }),
    ],
    cause: 'apns.stale_provisioning_profile',
    status: 'ruled_out',
    rule: 'apns.stale_provisioning_profile.push_reached_device',
  },
  // Stale token
  { step: 'APNs says ExpiredToken', facts: [answer('ExpiredToken')], cause: 'apns.stale_token', status: 'confirmed', rule: 'apns.stale_token.expired_token' },
  {
    step: 'APNs answered 410 without its body, and the reason it gave was ExpiredToken',
    facts: [answer('410', { attrs: { status: '410' } })],
    answers: [{ question: 'q.apns.refusal_reason', value: 'ExpiredToken' }],
    cause: 'apns.stale_token',
    status: 'confirmed',
    rule: 'apns.stale_token.bare_410_expired',
  },
  {
    step: 'APNs says Unregistered but the app is installed',
    facts: [answer('Unregistered')],
    answers: [yes('q.apns.app_installed')],
    cause: 'apns.stale_token',
    status: 'confirmed',
    rule: 'apns.stale_token.unregistered_but_installed',
  },
  {
    step: "FCM, which relays the app's pushes, says its token is unregistered though the app is installed",
    facts: [file('apns.relay_answer', 'unregistered', { attrs: { relay: 'fcm', scope: 'one', code: 'UNREGISTERED' } })],
    answers: [yes('q.apns.app_installed')],
    cause: 'apns.stale_token',
    status: 'likely',
    rule: 'apns.stale_token.relay_unregistered_but_installed',
  },
  {
    step: 'the provider keeps a token from an old launch and APNs rejects it',
    facts: [answer('BadDeviceToken')],
    answers: [no('q.apns.token_fresh')],
    cause: 'apns.stale_token',
    status: 'confirmed',
    rule: 'apns.stale_token.old_token',
  },
  {
    step: 'BadDeviceToken although token and host are both production',
    facts: [answer('BadDeviceToken'), PRODUCTION_HOST, file('app.aps_environment', 'production')],
    cause: 'apns.stale_token',
    status: 'likely',
    rule: 'apns.stale_token.bad_token_same_environment',
  },
  {
    step: 'the provider uses the token of the latest launch',
    facts: [BUNDLE],
    answers: [yes('q.apns.token_fresh')],
    cause: 'apns.stale_token',
    status: 'ruled_out',
    rule: 'apns.stale_token.current',
  },
  // Environment mismatch
  {
    step: 'APNs says BadCertificateEnvironment',
    facts: [answer('BadCertificateEnvironment')],
    cause: 'apns.environment_mismatch',
    status: 'confirmed',
    rule: 'apns.environment_mismatch.certificate_environment',
  },
  {
    step: 'a development-signed app, tokens sent to production',
    facts: [file('app.aps_environment', 'development'), PRODUCTION_HOST, answer('BadDeviceToken')],
    cause: 'apns.environment_mismatch',
    status: 'confirmed',
    rule: 'apns.environment_mismatch.token_vs_host',
  },
  {
    step: 'a development certificate against the production host',
    facts: [...appCert('2027-01-01T00:00:00.000Z', 'development'), PRODUCTION_HOST],
    cause: 'apns.environment_mismatch',
    status: 'confirmed',
    rule: 'apns.environment_mismatch.certificate_vs_host',
  },
  {
    step: 'BadDeviceToken from production, token origin unknown',
    facts: [answer('BadDeviceToken'), PRODUCTION_HOST],
    cause: 'apns.environment_mismatch',
    status: 'likely',
    rule: 'apns.environment_mismatch.bad_token_production',
  },
  {
    step: 'production token, production host',
    facts: [file('app.aps_environment', 'production'), PRODUCTION_HOST],
    cause: 'apns.environment_mismatch',
    status: 'ruled_out',
    rule: 'apns.environment_mismatch.same_environment',
  },
  // Coalescing (TN2265 "Some Notifications Received, but Not All")
  {
    step: 'some arrive, and they were sent seconds apart',
    answers: [yes('q.apns.some_delivered'), yes('q.apns.burst')],
    cause: 'apns.coalesced',
    status: 'confirmed',
    rule: 'apns.coalesced.burst_answered',
  },
  {
    step: 'APNs accepted two pushes two seconds apart',
    facts: [
      answer('200', { at: '2026-11-20T10:00:00.000Z', attrs: { status: '200' } }),
      answer('200', { at: '2026-11-20T10:00:02.000Z', attrs: { status: '200' } }),
    ],
    cause: 'apns.coalesced',
    status: 'likely',
    rule: 'apns.coalesced.close_pushes',
  },
  {
    step: 'APNs accepted two pushes an hour apart under one apns-collapse-id: the device shows them as one',
    facts: [
      answer('200', { at: '2026-11-20T10:00:00.000Z', attrs: { status: '200', collapse_id: 'chat-7' } }),
      answer('200', { at: '2026-11-20T11:00:00.000Z', attrs: { status: '200', collapse_id: 'chat-7' } }),
    ],
    answers: [no('q.apns.burst')],
    cause: 'apns.coalesced',
    status: 'likely',
    rule: 'apns.coalesced.same_collapse_id',
  },
  {
    step: 'the pushes were hours apart',
    facts: [BUNDLE],
    answers: [no('q.apns.burst')],
    cause: 'apns.coalesced',
    status: 'ruled_out',
    rule: 'apns.coalesced.not_burst',
  },
  // TLS trust (USERTrust, 2025)
  {
    step: 'x509: certificate signed by unknown authority',
    facts: [file('apns.tls_error', 'unknown_authority')],
    cause: 'apns.tls_trust',
    status: 'confirmed',
    rule: 'apns.tls_trust.unknown_authority',
  },
  {
    step: "the provider's trust store lacks USERTrust",
    answers: [no('q.apns.usertrust')],
    cause: 'apns.tls_trust',
    status: 'confirmed',
    rule: 'apns.tls_trust.root_missing',
  },
  {
    step: 'APNs answered the provider',
    facts: [answer('BadDeviceToken')],
    cause: 'apns.tls_trust',
    status: 'ruled_out',
    rule: 'apns.tls_trust.handshake_works',
  },
  // Invalid payload
  {
    step: 'APNs says PayloadTooLarge',
    facts: [answer('PayloadTooLarge')],
    cause: 'apns.invalid_payload',
    status: 'confirmed',
    rule: 'apns.invalid_payload.rejected',
  },
  {
    step: 'APNs answers 413 and the log lost its reason: 413 is only ever PayloadTooLarge, whatever the sample payload',
    facts: [answer('413', { attrs: { status: '413' } }), file('apns.payload_bytes', 40), file('apns.payload_has_aps', true)],
    cause: 'apns.invalid_payload',
    status: 'confirmed',
    rule: 'apns.invalid_payload.status_413',
  },
  {
    step: 'a 5000-byte alert payload',
    facts: [file('apns.payload_bytes', 5000), file('apns.payload_has_aps', true)],
    cause: 'apns.invalid_payload',
    status: 'confirmed',
    rule: 'apns.invalid_payload.too_large',
  },
  {
    step: 'alert outside aps',
    facts: [file('apns.payload_invalid', 'alert must sit inside an "aps" dictionary')],
    cause: 'apns.invalid_payload',
    status: 'confirmed',
    rule: 'apns.invalid_payload.malformed',
  },
  {
    step: 'a 5000-byte VoIP payload is within the VoIP limit',
    facts: [file('apns.payload_bytes', 5000), file('apns.payload_has_aps', true), file('apns.push_type', 'voip')],
    cause: 'apns.invalid_payload',
    status: 'ruled_out',
    rule: 'apns.invalid_payload.fine',
  },
  // App removed
  { step: 'the app was deleted', answers: [no('q.apns.app_installed')], cause: 'apns.app_removed', status: 'confirmed', rule: 'apns.app_removed.answered' },
  {
    step: 'APNs says 410 Unregistered',
    facts: [answer('Unregistered', { attrs: { status: '410', timestamp: '1763632800000' } })],
    cause: 'apns.app_removed',
    status: 'likely',
    rule: 'apns.app_removed.unregistered',
  },
  {
    step: 'FCM says its token for the device is unregistered (not an APNs answer)',
    facts: [file('apns.relay_answer', 'unregistered', { attrs: { relay: 'fcm', scope: 'one', code: 'NotRegistered' } })],
    cause: 'apns.app_removed',
    status: 'likely',
    rule: 'apns.app_removed.relay_unregistered',
  },
  {
    step: 'the app is installed',
    facts: [answer('Unregistered')],
    answers: [yes('q.apns.app_installed')],
    cause: 'apns.app_removed',
    status: 'ruled_out',
    rule: 'apns.app_removed.installed',
  },
  // Malformed request
  {
    step: 'APNs says BadExpirationDate',
    facts: [answer('BadExpirationDate')],
    cause: 'apns.malformed_request',
    status: 'confirmed',
    rule: 'apns.malformed_request.apns_says',
  },
  {
    step: 'a 400 whose reason the log cut off, and the reason told: BadPriority',
    facts: [answer('400', { attrs: { status: '400' } })],
    answers: [{ question: 'q.apns.refusal_reason', value: 'BadPriority' }],
    cause: 'apns.malformed_request',
    status: 'confirmed',
    rule: 'apns.malformed_request.reason_told',
  },
  {
    step: 'APNs accepted the push',
    facts: [answer('200', { attrs: { status: '200' } })],
    cause: 'apns.malformed_request',
    status: 'ruled_out',
    rule: 'apns.malformed_request.well_formed',
  },
  // Wrong topic
  {
    step: 'APNs says DeviceTokenNotForTopic',
    facts: [answer('DeviceTokenNotForTopic')],
    cause: 'apns.wrong_topic',
    status: 'confirmed',
    rule: 'apns.wrong_topic.apns_says',
  },
  {
    step: 'apns-topic names another app',
    facts: [BUNDLE, file('apns.topic', 'com.example.other')],
    cause: 'apns.wrong_topic',
    status: 'confirmed',
    rule: 'apns.wrong_topic.header_differs',
  },
  {
    step: "the push certificate is another app's",
    facts: [BUNDLE, file('cert.topic', 'com.example.other', { attrs: { kind: 'app' } })],
    cause: 'apns.wrong_topic',
    status: 'confirmed',
    rule: 'apns.wrong_topic.certificate_differs',
  },
  {
    step: 'a VoIP topic of the same app',
    facts: [BUNDLE, file('apns.topic', 'com.example.demo.voip')],
    cause: 'apns.wrong_topic',
    status: 'ruled_out',
    rule: 'apns.wrong_topic.matches',
  },
  // Certificate expired
  {
    step: 'the app push certificate ended on 1 January',
    facts: [...appCert('2026-01-01T00:00:00.000Z'), NOW('2026-11-20T12:00:00.000Z')],
    cause: 'apns.certificate_expired',
    status: 'confirmed',
    rule: 'apns.certificate_expired.certificate_dates',
  },
  {
    step: 'remote error: tls: expired certificate',
    facts: [file('apns.tls_error', 'expired_certificate')],
    cause: 'apns.certificate_expired',
    status: 'confirmed',
    rule: 'apns.certificate_expired.tls_expired',
  },
  {
    step: 'remote error: tls: internal error',
    facts: [file('apns.tls_error', 'internal_error')],
    cause: 'apns.certificate_expired',
    status: 'likely',
    rule: 'apns.certificate_expired.tls_internal_error',
  },
  {
    step: 'the app push certificate runs until next year',
    facts: [...appCert('2027-06-01T00:00:00.000Z'), NOW('2026-11-20T12:00:00.000Z')],
    cause: 'apns.certificate_expired',
    status: 'ruled_out',
    rule: 'apns.certificate_expired.valid',
  },
  {
    step: "APNs answered the provider's push with 200",
    facts: [BUNDLE, answer('200', { attrs: { status: '200' } })],
    cause: 'apns.certificate_expired',
    status: 'ruled_out',
    rule: 'apns.certificate_expired.apns_accepted',
  },
  // MDM push certificates (rules/mdm-certificate.yml)
  {
    step: "the MDM certificate's topic is not the device's",
    facts: [...mdmCert('2027-01-01T00:00:00.000Z'), file('device.topic', 'com.apple.mgmt.External.99999999-0000-4000-8000-000000000000')],
    cause: 'mdm.wrong_topic',
    status: 'confirmed',
    rule: 'mdm.wrong_topic.certificate_differs',
  },
  {
    step: "the MDM certificate's topic is the device's",
    facts: [...mdmCert('2027-01-01T00:00:00.000Z'), file('device.topic', MDM_TOPIC)],
    cause: 'mdm.wrong_topic',
    status: 'ruled_out',
    rule: 'mdm.wrong_topic.certificate_matches',
  },
  {
    step: 'the MDM push certificate ended in March',
    facts: [...mdmCert('2026-03-01T00:00:00.000Z'), NOW('2026-11-20T12:00:00.000Z')],
    cause: 'mdm.certificate_expired',
    status: 'confirmed',
    rule: 'mdm.certificate_expired.certificate_dates',
  },
  {
    step: 'the MDM server logs tls: expired certificate',
    facts: [file('mdm.apns_tls_error', 'expired_certificate')],
    cause: 'mdm.certificate_expired',
    status: 'confirmed',
    rule: 'mdm.certificate_expired.tls_expired',
  },
  {
    step: 'the MDM server logs tls: internal error',
    facts: [file('mdm.apns_tls_error', 'internal_error')],
    cause: 'mdm.certificate_expired',
    status: 'likely',
    rule: 'mdm.certificate_expired.tls_internal_error',
  },
  // Seed 000's replaced certificate, against the Topic the device enrolled with (its check-in), issue 8 item 4.
  {
    step: "the MDM certificate's topic is not the one the device enrolled with",
    facts: [...mdmCert('2027-01-01T00:00:00.000Z'), file('server.enrolled_topic', 'com.apple.mgmt.External.99999999-0000-4000-8000-000000000000')],
    cause: 'mdm.wrong_topic',
    status: 'confirmed',
    rule: 'mdm.wrong_topic.certificate_differs_from_enrolled',
  },
  {
    step: "the MDM certificate's topic is the one the device enrolled with",
    facts: [...mdmCert('2027-01-01T00:00:00.000Z'), file('server.enrolled_topic', MDM_TOPIC)],
    cause: 'mdm.wrong_topic',
    status: 'ruled_out',
    rule: 'mdm.wrong_topic.certificate_matches_enrolled',
  },
  {
    step: 'the MDM server logs an alert certificate revoked',
    facts: [file('mdm.apns_tls_error', 'revoked')],
    cause: 'mdm.certificate_expired',
    status: 'likely',
    rule: 'mdm.certificate_expired.tls_revoked',
  },
  {
    step: 'the MDM push certificate is valid',
    facts: [...mdmCert('2027-01-01T00:00:00.000Z'), NOW('2026-11-20T12:00:00.000Z')],
    cause: 'mdm.certificate_expired',
    status: 'ruled_out',
    rule: 'mdm.certificate_expired.valid',
  },
  {
    step: "APNs answered the MDM server's push with 200",
    facts: [file('device.topic', MDM_TOPIC)],
    answers: [{ question: 'q.mdm.push_status', value: '200' }],
    cause: 'mdm.certificate_expired',
    status: 'ruled_out',
    rule: 'mdm.certificate_expired.apns_accepted',
  },
  {
    step: "APNs answered the MDM server's push 410 Unregistered (the handshake with its certificate went through)",
    facts: [file('mdm.apns_response', 'Unregistered', { attrs: { status: '410', reason: 'Unregistered' } })],
    cause: 'mdm.certificate_expired',
    status: 'ruled_out',
    rule: 'mdm.certificate_expired.apns_answered',
  },
];

describe('app push rules (TN2265 and current APNs), each fired and each ruled out', () => {
  it.each(cases)('$cause is $status when $step', ({ facts = [], answers = [], cause, status, rule }) => {
    const d = run(facts, answers);
    expect(statusOf(d, cause)).toBe(status);
    expect(held(d, cause)).toContain(rule);
  });

  it('every apns and MDM-certificate rule appears above', () => {
    const mine = rules.rules.filter((r) => /(^|\/)(apns|mdm-certificate)\.yml$/.test(rules.origin.get(r.id) ?? ''));
    expect(mine.length).toBeGreaterThan(50);
    expect(mine.map((r) => r.id).filter((id) => !cases.some((c) => c.rule === id))).toEqual([]);
  });

  it('a rule that holds cites its evidence: the profile fact behind the missing entitlement', () => {
    const d = run([
      file('provisioning.push_entitlement', false, { source: { kind: 'file', input: 'embedded.mobileprovision' } }),
      file('provisioning.name', 'DIS: com.example.demo'),
    ]);
    const c = d.causes.find((x) => x.cause.id === 'apns.missing_entitlement')!;
    expect(c.decided[0].evidence.map((f) => [f.name, f.value, f.source])).toEqual([
      ['provisioning.push_entitlement', false, { kind: 'file', input: 'embedded.mobileprovision' }],
    ]);
  });

  it('without a reference time a valid-looking certificate stays open: the engine has no clock', () => {
    const d = run([...appCert('2027-06-01T00:00:00.000Z')]);
    expect(statusOf(d, 'apns.certificate_expired')).toBe('open');
    expect(d.questions.map((q) => q.question.id)).toContain('q.case.now');
  });

  it('the evidence times prove an expiry without case.now: a push answered after the end date', () => {
    const d = run([...appCert('2026-01-01T00:00:00.000Z'), answer('200', { at: '2026-06-01T00:00:00.000Z', attrs: { status: '200' } })]);
    expect(statusOf(d, 'apns.certificate_expired')).toBe('confirmed');
    const expired = d.facts.find((f) => f.name === 'cert.expired')!;
    expect(expired.attrs).toMatchObject({ reference: 'apns.response', reference_time: '2026-06-01T00:00:00.000Z' });
  });

  it('the bundle id hash TN2265 has people compute by hand is derived', () => {
    const d = run([BUNDLE]);
    // echo -n "com.example.demo" | openssl dgst -sha1
    expect(d.facts.find((f) => f.name === 'apns.bundle_id_sha1')?.value).toBe('30229c4c3ba13daa1bbdcc3439bda1abd0319198');
  });

  it('an app push case lists no MDM causes, and an MDM certificate case no app push causes', () => {
    const app = run([file('provisioning.push_entitlement', false)]);
    expect(app.domains).toEqual(['apns']);
    expect(app.causes.some((c) => c.cause.domain !== 'apns')).toBe(false);
    const mdm = run(mdmCert('2027-01-01T00:00:00.000Z'));
    expect(mdm.domains).toEqual(['mdm']);
    expect(mdm.causes.some((c) => c.cause.domain !== 'mdm')).toBe(false);
  });
});
