/**
 * Every reason APNs (HTTP/2 provider API) answers a push with, in our own
 * words, plus the retired binary interface's status bytes and the TLS
 * failures providers log. One table, so that readers, rules and reports agree
 * on what a reason means and what to do about it.
 */

export type ReasonClass = 'permanent' | 'transient' | 'configuration' | 'caller-bug';

export interface ApnsReason {
  reason: string;
  status: number;
  meaning: string;
  class: ReasonClass;
  next: string;
  source: string;
}

const APPLE = 'https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns';
const TOKEN_DOC = 'https://developer.apple.com/documentation/usernotifications/establishing-a-token-based-connection-to-apns';

const r = (status: number, reason: string, klass: ReasonClass, meaning: string, next: string, source = APPLE): ApnsReason => ({
  reason,
  status,
  meaning,
  class: klass,
  next,
  source,
});

export const APNS_REASONS: readonly ApnsReason[] = [
  r(400, 'BadCollapseId', 'caller-bug', 'The apns-collapse-id header is longer than 64 bytes.', 'Shorten the collapse id to 64 bytes or less.'),
  r(
    400,
    'BadDeviceToken',
    'configuration',
    'APNs does not know this token in the environment it was sent to: a sandbox token sent to production (or the reverse), or a token that is not a device token at all.',
    'Check which environment issued the token (development build → sandbox, TestFlight/App Store/ad hoc/enterprise → production) and send it to that host; otherwise get a fresh token from the app.',
  ),
  r(400, 'BadExpirationDate', 'caller-bug', 'The apns-expiration header is not a valid UNIX time.', 'Send seconds since 1970 (or 0) in apns-expiration.'),
  r(400, 'BadMessageId', 'caller-bug', 'The apns-id header is not a canonical UUID.', 'Send a lower-case canonical UUID in apns-id, or leave it out.'),
  r(400, 'BadPriority', 'caller-bug', 'The apns-priority header is not 10, 5 or 1.', 'Use 10 (immediate), 5 (power-considerate) or 1.'),
  r(
    400,
    'BadTopic',
    'configuration',
    'The apns-topic header names a topic APNs does not accept for this connection.',
    "Send the app's bundle id (or bundle id plus .voip / .complication … for those push types).",
  ),
  r(
    400,
    'DeviceTokenNotForTopic',
    'configuration',
    'The token belongs to a different app (topic) than the one in apns-topic or the certificate.',
    'Use the certificate or apns-topic of the app that registered this token; check for several apps or certificates mixed up in the provider.',
  ),
  r(400, 'DuplicateHeaders', 'caller-bug', 'A header was sent more than once.', 'Send each apns-* header once.'),
  r(400, 'IdleTimeout', 'transient', 'The connection sat idle too long and APNs closed it.', 'Reconnect and resend.'),
  r(
    400,
    'InvalidPushType',
    'caller-bug',
    'The apns-push-type header is not one APNs knows.',
    'Use a documented push type (alert, background, voip, complication, fileprovider, mdm, liveactivity, location, pushtotalk).',
  ),
  r(400, 'MissingDeviceToken', 'caller-bug', 'The request path has no device token.', 'Post to /3/device/<64 hex digits>.'),
  r(
    400,
    'MissingTopic',
    'configuration',
    'apns-topic is required here (token-based auth, or a certificate with several topics) and was not sent.',
    "Send apns-topic with the app's bundle id (the MDM topic for MDM pushes).",
  ),
  r(400, 'PayloadEmpty', 'caller-bug', 'The request had no body.', 'Send a JSON payload (for MDM: {"mdm":"<PushMagic>"}).'),
  r(
    400,
    'TopicDisallowed',
    'configuration',
    'Pushing to this topic is not allowed.',
    "Check the topic against the certificate or key and the App ID's capabilities.",
  ),
  r(
    403,
    'BadCertificate',
    'configuration',
    'The client certificate was not accepted.',
    'Use the push certificate (with its private key) issued for this app and environment.',
  ),
  r(
    403,
    'BadCertificateEnvironment',
    'configuration',
    'The client certificate is for the other environment (sandbox vs production).',
    'Connect to the host that matches the certificate, or use the certificate for this environment.',
  ),
  r(
    403,
    'ExpiredProviderToken',
    'configuration',
    'The provider token (JWT) is older than an hour.',
    'Make a new JWT at least every 60 minutes (no more than every 20).',
    TOKEN_DOC,
  ),
  r(403, 'Forbidden', 'configuration', 'The action is not allowed.', 'Check the certificate or key is the one for this team and app.'),
  r(
    403,
    'InvalidProviderToken',
    'configuration',
    'The provider token is not valid or its signature does not verify.',
    'Sign the JWT with the .p8 key whose Key ID and Team ID are in its header and claims.',
    TOKEN_DOC,
  ),
  r(
    403,
    'MissingProviderToken',
    'configuration',
    'There was neither a client certificate nor a provider token.',
    'Send an authorization bearer token or connect with the push certificate.',
    TOKEN_DOC,
  ),
  r(
    403,
    'UnrelatedKeyIdInToken',
    'configuration',
    'The key in the provider token cannot be used for this topic (a topic-specific key used for another app).',
    'Use a key that covers this topic, or a team-scoped key.',
    TOKEN_DOC,
  ),
  r(
    403,
    'BadEnvironmentKeyIdInToken',
    'configuration',
    'The key in the provider token is limited to the other environment.',
    'Use a key allowed for this environment or send to the other host.',
    TOKEN_DOC,
  ),
  r(404, 'BadPath', 'caller-bug', 'The request path is wrong.', 'Post to /3/device/<token>.'),
  r(405, 'MethodNotAllowed', 'caller-bug', 'Only POST is accepted.', 'Use POST.'),
  r(410, 'ExpiredToken', 'permanent', 'The device token has expired.', 'Stop sending to it; wait for the app to register and send a new token.'),
  r(
    410,
    'Unregistered',
    'permanent',
    "The token is no longer active for this topic, usually because the app was removed (the body's timestamp says since when).",
    'Stop sending to it; if the app is still installed, launch it so it registers and sends a new token.',
  ),
  r(
    413,
    'PayloadTooLarge',
    'caller-bug',
    'The payload is over the limit (4096 bytes; 5120 for VoIP).',
    'Shorten the payload; send an identifier and let the app fetch the content.',
  ),
  r(
    429,
    'TooManyProviderTokenUpdates',
    'configuration',
    'The provider token was replaced too often.',
    'Refresh the JWT no more than once every 20 minutes.',
    TOKEN_DOC,
  ),
  r(429, 'TooManyRequests', 'transient', 'Too many pushes to the same device token too quickly.', 'Back off and send fewer pushes to this device.'),
  r(500, 'InternalServerError', 'transient', 'APNs had an internal error.', 'Retry later with back-off.'),
  r(503, 'ServiceUnavailable', 'transient', 'APNs is unavailable.', 'Retry later with back-off.'),
  r(503, 'Shutdown', 'transient', 'The APNs server is shutting down.', 'Open a new connection and resend.'),
];

const byLower = new Map(APNS_REASONS.map((x) => [x.reason.toLowerCase(), x]));

export function reasonInfo(reason: string): ApnsReason | undefined {
  return byLower.get(reason.toLowerCase());
}

/** Reasons as a regular-expression alternation, longest first so that e.g. BadDeviceToken is not read as a prefix. */
export const REASON_PATTERN = [...APNS_REASONS.map((x) => x.reason)].sort((a, b) => b.length - a.length).join('|');

/**
 * Client libraries write the reasons in snake case (`:bad_device_token`,
 * `bad_device_token`); map them back.
 */
export function reasonFromSnake(snake: string): ApnsReason | undefined {
  const camel = snake.toLowerCase().replace(/_/g, '');
  return APNS_REASONS.find((x) => x.reason.toLowerCase() === camel);
}

/**
 * The retired binary interface (gateway.push.apple.com:2195, until 31 March
 * 2021) answered with one status byte.
 */
export interface LegacyStatus {
  code: number;
  meaning: string;
  /** The HTTP/2 reason with the same meaning, so rules need to know only one vocabulary. */
  equivalent?: string;
  class: ReasonClass;
}

// Source: https://support.sparkpost.com/momentum/3/3-push/push-apple-error
export const LEGACY_STATUSES: readonly LegacyStatus[] = [
  { code: 0, meaning: 'No errors encountered', class: 'transient' },
  { code: 1, meaning: 'Processing error', equivalent: 'InternalServerError', class: 'transient' },
  { code: 2, meaning: 'Missing device token', equivalent: 'MissingDeviceToken', class: 'caller-bug' },
  { code: 3, meaning: 'Missing topic', equivalent: 'MissingTopic', class: 'configuration' },
  { code: 4, meaning: 'Missing payload', equivalent: 'PayloadEmpty', class: 'caller-bug' },
  { code: 5, meaning: 'Invalid token size', equivalent: 'BadDeviceToken', class: 'caller-bug' },
  { code: 6, meaning: 'Invalid topic size', equivalent: 'BadTopic', class: 'caller-bug' },
  { code: 7, meaning: 'Invalid payload size', equivalent: 'PayloadTooLarge', class: 'caller-bug' },
  { code: 8, meaning: 'Invalid token', equivalent: 'BadDeviceToken', class: 'configuration' },
  { code: 10, meaning: 'Shutdown', equivalent: 'Shutdown', class: 'transient' },
  { code: 255, meaning: 'None (unknown)', class: 'transient' },
];

/**
 * TLS failures providers log when connecting to APNs, by what they usually
 * mean. Sources are the issue threads collected in shared/knowledge/apns-mdm.md.
 */
export type TlsFailure =
  | 'expired_certificate'
  | 'internal_error'
  | 'revoked'
  | 'unknown_certificate'
  | 'decrypt_error'
  | 'unexpected_eof'
  | 'bad_certificate'
  | 'unknown_authority';

export interface TlsPattern {
  kind: TlsFailure;
  pattern: RegExp;
  meaning: string;
}

export const TLS_PATTERNS: readonly TlsPattern[] = [
  {
    kind: 'expired_certificate',
    pattern: /tls: expired certificate|alert certificate expired/i,
    meaning: 'APNs refused the client certificate as expired (or the process still holds the old one after a renewal)',
  },
  {
    kind: 'revoked',
    pattern: /certificate revoked|alert certificate revoked|tls: revoked certificate/i,
    meaning: 'APNs refused the client certificate as revoked; also what a sandbox certificate gets from the production host',
  },
  {
    kind: 'unknown_certificate',
    pattern: /tls: unknown certificate(?: authority)?|alert certificate unknown|alert unknown ca/i,
    meaning: 'APNs did not recognise the client certificate',
  },
  { kind: 'bad_certificate', pattern: /tls: bad certificate|alert bad certificate/i, meaning: 'APNs rejected the client certificate' },
  { kind: 'internal_error', pattern: /tls: internal error|alert internal error/i, meaning: 'APNs aborted the handshake; usually an expired push certificate' },
  {
    kind: 'decrypt_error',
    pattern: /error decrypting message|decrypt error/i,
    meaning: 'the certificate and private key do not belong together, or the key is wrong',
  },
  {
    kind: 'unknown_authority',
    pattern:
      /certificate signed by unknown authority|unable to get local issuer certificate|self[- ]signed certificate in certificate chain|PKIX path building failed|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERTIFICATE_VERIFY_FAILED|unable to verify the first certificate|certificate verify failed/i,
    meaning: "the provider does not trust the APNs server's certificate chain (its trust store lacks the root APNs now uses)",
  },
  {
    kind: 'unexpected_eof',
    pattern: /unexpected EOF|EOF occurred in violation of protocol/i,
    meaning: 'the connection was cut during or right after the handshake; often a certificate/key mismatch or a GOAWAY',
  },
];
