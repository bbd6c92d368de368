import type { FactDefinition } from '../schema.js';

const d = (name: string, type: FactDefinition['type'], description: string, extra: Partial<FactDefinition> = {}): FactDefinition => ({
  name,
  type,
  description,
  domains: ['apns'],
  ...extra,
});

/**
 * The app push provider's own identity and Apple's Push Notifications
 * Console: can the provider read and use its credentials, and what APNs did
 * with a push after accepting it.
 */
export const providerFacts: FactDefinition[] = [
  // The provider's log.
  d(
    'apns.provider_key_error',
    'string',
    'The provider cannot use its token-signing key: parse_key (the .p8 does not parse), key_id (wrong or unknown Key ID), team_id (wrong Team ID / issuer), algorithm (not ES256) (attrs.detail)',
    { multi: true },
  ),
  d(
    'apns.provider_identity_unreadable',
    'string',
    'The provider cannot read its own push identity (certificate, private key or .p8): permission (file permissions), missing_file, keychain (keychain access refused) (attrs.path when logged)',
    {
      multi: true,
    },
  ),
  d(
    'apns.relay_credentials_refused',
    'string',
    'A push relay the app sends through reports that APNs refused the APNs credentials (auth key or certificate) it holds for the app: fcm (Firebase Cloud Messaging, THIRD_PARTY_AUTH_ERROR)',
    { multi: true },
  ),
  d(
    'apns.relay_answer',
    'string',
    "What a push service that relays to APNs (Firebase Cloud Messaging, OneSignal…) answered about a device's push: unregistered (the service's token for the device is no longer valid), sender_id_mismatch (the token belongs to another sender or project), invalid_registration (what was sent is not one of the service's tokens), invalid_argument, quota_exceeded, unavailable, internal, message_too_big, apns_reason (the service passed on an APNs reason, attrs.reason), other (attrs: relay: fcm or onesignal, scope: one or several devices in the answer, code as written, reason, subscription)",
    { multi: true },
  ),
  d(
    'apns.relay_delivered',
    'time',
    "When a push service that relays to APNs reports a device confirmed receiving a push (OneSignal's Confirmed Delivery, reported by the app on the device) (attrs: relay, scope: one or several devices in the export, subscription)",
    { multi: true },
  ),
  d(
    'apns.provider_identity_readable',
    'boolean',
    'The process that sends pushes can read its certificate and key (or .p8 key): file permissions for its user, keychain access (answered)',
  ),

  // The provider's 200 met on the device: apsd's receipt of the app's topic right after it.
  d(
    'apns.push_reached_device',
    'time',
    "An app push APNs accepted that the device's apsd log shows arriving on the app's topic within the answer window (attrs: topic, pushed_at, apns_id) (derived)",
    {
      marksDomain: false,
      multi: true,
      derived: true,
      derivedFrom: ['apns.response', 'device.log.push_received'],
    },
  ),

  // Apple's Push Notifications Console (developer account, since WWDC23).
  d(
    'apns.console.delivery',
    'string',
    'A Delivery Log status for a push: received, delivered, delivered_from_storage, stored_offline, stored_power, discarded_unregistered, discarded_expired, discarded_disabled (attrs: apns_id, status as written)',
    {
      multi: true,
    },
  ),
  d(
    'apns.console.token_validation',
    'string',
    "The Console's device token validator: valid or invalid (attrs.environment checked: development or production)",
    { multi: true },
  ),
  d('apns.console.token_environment', 'string', 'The environment the Console found the device token valid in: development or production', {
    multi: true,
    marksDomain: false,
  }),
  d(
    'apns.key_environment',
    'string',
    'The environment a token-authentication key is limited to: development or production (both facts for a key allowed in both)',
    { multi: true },
  ),
  d('apns.key_topic', 'string', 'The bundle id a topic-specific token-authentication key is limited to', { multi: true }),

  // Derived.
  d('apns.apns_id', 'string', 'An apns-id of a push APNs accepted (from its 200 answer or the Console) (derived)', {
    multi: true,
    marksDomain: false,
    derived: true,
  }),
];
