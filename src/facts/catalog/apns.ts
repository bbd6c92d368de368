import type { FactDefinition } from '../schema.js';

const d = (name: string, type: FactDefinition['type'], description: string, extra: Partial<FactDefinition> = {}): FactDefinition => ({
  name,
  type,
  description,
  domains: ['apns'],
  ...extra,
});

/** Facts that qualify others without making a domain relevant on their own. */
const quiet: Partial<FactDefinition> = { domains: [], marksDomain: false };

/**
 * Facts about app push notifications (TN2265 and today's APNs), and the push
 * certificates both app and MDM pushes are signed with. Environments are
 * always written `development` (sandbox) or `production`, the words of the
 * aps-environment entitlement.
 */
export const apnsFacts: FactDefinition[] = [
  // The reference time. There is no clock in the engine: "expired" is judged
  // against this, or against the times the evidence itself carries.
  d(
    'case.now',
    'time',
    'Reference time for "has it expired?" judgements: set by the CLI or Slack bot to the time of the run (source pasted or derived), or answered. Same inputs and same case.now give the same report',
    quiet,
  ),

  // The signed app: codesign -d --entitlements - output, or an .entitlements plist.
  d(
    'app.push_entitlement',
    'boolean',
    "The app's signed entitlements hold aps-environment (iOS) or com.apple.developer.aps-environment (macOS); attrs.from: codesign | entitlements",
  ),
  d('app.aps_environment', 'string', 'Value of the aps-environment entitlement in the signed app: development or production'),
  d('app.bundle_id', 'string', "The app's bundle id (CFBundleIdentifier), from its application-identifier, a push certificate, or answered"),
  d('app.push_capability_enabled', 'boolean', 'Push Notifications is enabled for the App ID in the developer portal (answered)'),
  d(
    'app.registration',
    'string',
    "What the app's registration for remote notifications returned: token, error, or none (neither delegate callback was called) (answered)",
  ),
  d(
    'app.token_environment',
    'string',
    'Environment of the build that produced the failing token: development (run from Xcode) or production (TestFlight, App Store, ad hoc, enterprise) (answered)',
  ),
  d('app.token_from_latest_launch', 'boolean', 'The provider uses the token the app sent at its latest launch (the app registers on every launch) (answered)'),
  d('app.installed', 'boolean', 'The app is still installed on the device (answered)'),
  d('app.launched_since_token', 'boolean', 'The app was launched since the failing token was taken (answered)'),

  // A provisioning profile (.mobileprovision), read out of its CMS envelope.
  d('provisioning.push_entitlement', 'boolean', "The provisioning profile's Entitlements hold aps-environment"),
  d('provisioning.aps_environment', 'string', 'Value of aps-environment in the provisioning profile: development or production'),
  d('provisioning.expires', 'time', 'ExpirationDate of the provisioning profile', { marksDomain: false }),
  d('provisioning.created', 'time', 'CreationDate of the provisioning profile', { marksDomain: false }),
  d('provisioning.team_id', 'string', 'TeamIdentifier of the provisioning profile', { marksDomain: false }),
  d('provisioning.app_id', 'string', 'application-identifier in the profile (TEAMID.bundle.id, possibly a wildcard)', { marksDomain: false }),
  d('provisioning.app_id_name', 'string', 'AppIDName of the provisioning profile', { marksDomain: false }),
  d('provisioning.name', 'string', 'Name of the provisioning profile', { marksDomain: false }),
  d('provisioning.uuid', 'string', 'UUID of the provisioning profile', { marksDomain: false }),
  d('provisioning.devices', 'number', 'How many devices the profile lists (ProvisionedDevices); 0 for enterprise and App Store profiles', {
    marksDomain: false,
  }),
  d('provisioning.kind', 'string', 'development, ad_hoc, enterprise or app_store (from get-task-allow, ProvisionedDevices, ProvisionsAllDevices)', {
    marksDomain: false,
  }),
  d('provisioning.expired', 'boolean', 'The profile had expired by the reference time (derived; attrs.reference names the time it was judged against)', quiet),

  // Push certificates (PEM / DER). The topic is the subject UID.
  d('cert.topic', 'string', 'Topic (subject UID, i.e. the bundle id) of an app push certificate'),
  d('cert.mdm_topic', 'string', 'Topic (subject UID, com.apple.mgmt.External.<uuid>) of an MDM push certificate', { domains: ['mdm'] }),
  d('cert.extra_topic', 'string', "A further topic listed in the certificate's topics extension (1.2.840.113635.100.6.3.6), e.g. bundle.voip", {
    ...quiet,
    multi: true,
  }),
  d(
    'cert.environment',
    'string',
    'Environment a push certificate is for: development or production (a universal certificate yields both; attrs.kind mdm | app)',
    { ...quiet, multi: true },
  ),
  d('cert.not_before', 'time', "Start of a push certificate's validity (attrs.kind mdm | app, attrs.topic)", { ...quiet, multi: true }),
  d('cert.not_after', 'time', "End of a push certificate's validity (attrs.kind mdm | app, attrs.topic)", { ...quiet, multi: true }),
  d('cert.subject', 'string', 'Subject common name of a push certificate', { ...quiet, multi: true }),
  d('cert.expired', 'boolean', 'A push certificate had expired by the reference time (derived; attrs.kind mdm | app, attrs.reference)', {
    ...quiet,
    multi: true,
  }),
  d('cert.reloaded', 'boolean', 'The push provider was restarted (or reloaded its certificate) after the certificate was last renewed (answered)', {
    domains: ['apns', 'mdm'],
    marksDomain: false,
  }),

  // The provider's side: what APNs answered, how the connection went.
  d(
    'apns.response',
    'string',
    'An APNs answer to an app push: the reason (BadDeviceToken…) or, without one, the HTTP status (attrs: status, reason, class, apns_id, environment, host, timestamp, via: http2 | goaway | legacy; stated: words when a person told it in a message)',
    {
      multi: true,
      // "APNs returned 200 at 09:05" in a message says nothing of which kind of push it was: the case's other
      // evidence (or q.case.domain) decides, and derive/statedAnswer.ts reads it as the MDM server's in an MDM case.
      marks: (f) => (f.attrs?.stated ? [] : ['apns']),
    },
  ),
  d(
    'apns.response_other_tokens',
    'string',
    "APNs answers to app pushes that the rules set aside as other device tokens' (or not yet the case's), folded per answer for the report once a provider log names more than a hundred such tokens: the reason or status as in apns.response (attrs as apns.response's less the token; tokens: how many tokens; count, times and examples: the pushes)",
    { multi: true, marksDomain: false },
  ),
  d('mdm.apns_response', 'string', 'An APNs answer to an MDM push, as an MDM server logged it (same value and attrs as apns.response)', {
    domains: ['mdm'],
    multi: true,
  }),
  d(
    'apns.tls_error',
    'string',
    'A TLS failure the app push provider logged talking to APNs: expired_certificate, revoked, unknown_certificate, bad_certificate, internal_error, decrypt_error, unknown_authority, unexpected_eof',
    { multi: true },
  ),
  d('mdm.apns_tls_error', 'string', 'A TLS failure an MDM server logged talking to APNs (same values as apns.tls_error)', { domains: ['mdm'], multi: true }),
  d(
    'apns.endpoint',
    'string',
    'Environment of the APNs host the provider sends to: production (api.push.apple.com, gateway.push.apple.com) or development (api.sandbox.push.apple.com…) (attrs.host, attrs.port)',
    { ...quiet, multi: true },
  ),
  d('apns.provider_connect_error', 'string', 'The provider could not open a connection to APNs at all: timeout, refused, dns (attrs.host)', { multi: true }),
  d('mdm.apns_connect_error', 'string', 'An MDM server could not open a connection to APNs at all: timeout, refused, dns (attrs.host)', {
    domains: ['mdm'],
    multi: true,
  }),
  d('apns.topic', 'string', 'The apns-topic the provider sends (header in a log, or answered)', { multi: true }),
  d('apns.push_type', 'string', 'The apns-push-type of the failing push (alert, background, voip…)', { marksDomain: false }),
  d(
    'apns.provider_trusts_usertrust',
    'boolean',
    "The provider's trust store holds 'USERTrust RSA Certification Authority', the root APNs' server certificates chain to since 2025 (answered)",
  ),
  d('apns.refusal_reason', 'string', 'The reason APNs gave for refusing a push whose reason the log cut off or garbled (answered)'),
  d(
    'apns.refusal_unexplained',
    'string',
    'The status of a refusal logged without its reason that the reason someone told cannot be the reason of: APNs gives that reason with another status',
    { derived: true, marksDomain: false, multi: true, derivedFrom: ['apns.response', 'apns.refusal_reason'] },
  ),
  d(
    'apns.token_hidden',
    'string',
    "How a provider's log hid the device token whole on the answers it logged (`****`, `[REDACTED]`, `<redacted>`): nothing of the token is left to tie those answers to a device (attrs: answers, the number of them; several: yes when the log shows they may be several devices', no when they are read as one device's)",
    { derived: true, marksDomain: false, derivedFrom: ['apns.response'] },
  ),
  d('apns.works_on_other_network', 'boolean', 'Pushes arrive when the device is on another network (cellular with Wi-Fi off, another Wi-Fi) (answered)'),
  d('apns.some_delivered', 'boolean', 'Some notifications arrive, but not all (answered)'),
  d('apns.pushes_in_burst', 'boolean', 'Several notifications went to the same device within seconds, or while it was offline (answered)'),

  // A notification payload pasted as JSON.
  d('apns.payload_bytes', 'number', 'Size in UTF-8 bytes of a pasted notification payload (attrs.push_type when known)'),
  d('apns.payload_invalid', 'string', 'A pasted payload that is not a JSON object, with what is wrong'),
  d('apns.payload_has_aps', 'boolean', 'The pasted payload has an "aps" dictionary', { marksDomain: false }),

  // Derived.
  d('apns.bundle_id_sha1', 'hex', "SHA-1 of the app's bundle id: the name macOS push logs use for it (TN2265 Listing 1) (derived)", quiet),
  d('apns.payload_over_limit', 'boolean', "The payload is over APNs' limit: 4096 bytes, 5120 for VoIP (derived; attrs.limit)", quiet),
  d('apns.app_environment', 'string', "Environment the app's token comes from, gathered from the entitlement, profile, apsd log or answer (derived)", {
    ...quiet,
    multi: true,
  }),
  d('apns.provider_environment', 'string', 'Environment the provider sends to, from the endpoint host or the response (derived)', { ...quiet, multi: true }),
  d(
    'apns.topic_bundle',
    'string',
    'The bundle id a push topic addresses: the APNs or certificate topic without a push-type suffix such as .voip or .complication (derived)',
    { ...quiet, multi: true },
  ),
  d(
    'apns.min_push_gap_seconds',
    'number',
    "Shortest time between two pushes APNs accepted (status 200) for the same device token: the case's token's, or, with several tokens and none named, the widest of every token's shortest gap (derived)",
    quiet,
  ),
  d(
    'apns.collapse_id_repeated',
    'string',
    "Several pushes APNs accepted (status 200) for the case's device token under one apns-collapse-id, which the device shows as one notification (derived; attrs: collapse_id, pushes, token)",
    { ...quiet, multi: true },
  ),
];
