import type { FactDefinition } from '../schema.js';

const d = (name: string, type: FactDefinition['type'], description: string, extra: Partial<FactDefinition> = {}): FactDefinition => ({
  name,
  type,
  description,
  domains: ['securemail'],
  ...extra,
});

/** A log event: value is the message with tokens redacted, `at` its time, attrs.module / attrs.level where the log has them. */
const ev = (name: string, description: string, extra: Partial<FactDefinition> = {}) => d(name, 'string', description, { multi: true, ...extra });

/**
 * Facts about Citrix Secure Mail for iOS push (seed 003): its app policies,
 * its APNs subscription events, its background wake-ups, its log, and what
 * people answer about the device, the network and Exchange.
 */
export const securemailFacts: FactDefinition[] = [
  // CtxLog_AppPolicies.xml
  d('securemail.policy.read', 'boolean', 'A complete CtxLog_AppPolicies.xml was read, so an absent entity means the policy is not set'),
  d('securemail.policy.push_enabled', 'boolean', 'PushNotificationsEnabled policy; must be true for APNs push'),
  d('securemail.policy.listener_host', 'string', 'PushNotificationsListenerServiceHostName policy: the Citrix listener service endpoint, empty when unset'),
  d('securemail.policy.tenant_id', 'string', 'PushNotificationsTenantId policy: only needed by enterprise builds, empty when unset'),
  d('securemail.policy.ews_host', 'string', 'PushNotificationsEWSHostName policy: the EWS host; empty is fine, ExchangeServer or autodiscovery is used'),
  d('securemail.policy.exchange_server', 'string', 'ExchangeServer policy'),
  d('securemail.policy.listener_host_valid', 'boolean', 'The listener host policy is a usable host name or URL (derived)'),
  d('securemail.policy.listener_host_known', 'boolean', "The listener host is one of Citrix's listener services under xm.citrix.com (derived)"),

  // CtxLog_APNS_Events.csv
  d(
    'securemail.apns_event',
    'string',
    'One row of CtxLog_APNS_Events.csv: value is the operation as written; attrs operation, status, outcome = success, failure or unknown, reason, tenant, token = its last 4 characters only',
    { multi: true },
  ),
  d(
    'securemail.apns.failed_operation',
    'string',
    'An APNs subscription step that failed: tenant_id, registration, ews_subscription, listener_update, validation, subscription or other; attrs reason = http_500, http_413, auth, network, invalid or error, and status',
    { multi: true },
  ),
  d('securemail.apns.succeeded_operation', 'string', 'An APNs subscription step that succeeded, named as in failed_operation', { multi: true }),
  d('securemail.apns.tenant_id', 'string', 'Tenant ID recorded with a subscription event', { multi: true }),
  d('securemail.apns.listener_token', 'secret', 'Listener service token recorded with a subscription event', { secret: true, multi: true }),
  d('securemail.apns.listener_key', 'secret', 'Tenant ID + listener token combination, what Citrix support searches the listener logs for', {
    secret: true,
    multi: true,
  }),
  d('securemail.apns.last_subscription_status', 'string', 'Outcome of the latest subscription step in the events file: success or failure (derived)'),
  d('securemail.apns.last_validation_status', 'string', 'Outcome of the latest subscription validity check: success or failure (derived)'),

  // CTXLog_backgroundFetchSchedule.csv
  d(
    'securemail.fetch.wakeup',
    'string',
    'One background wake-up: remote_notification, background_fetch or other; `at` its start, attrs end, seconds, result and type as written',
    { multi: true },
  ),
  d('securemail.fetch.remote_notifications', 'number', 'How many Remote Notification wake-ups, i.e. pushes, the schedule holds (derived)'),
  d('securemail.fetch.background_fetches', 'number', 'How many BackgroundFetch wake-ups the schedule holds (derived)'),
  d('securemail.fetch.last_remote_notification', 'time', 'When the last push wake-up started (derived)'),
  d('securemail.fetch.largest_gap_seconds', 'number', 'Longest time between two consecutive push wake-ups, in seconds; attrs from, to (derived)'),
  d(
    'securemail.fetch.only_background_fetch',
    'boolean',
    'The schedule has BackgroundFetch wake-ups but not one push wake-up: pushes are not arriving (derived)',
  ),
  d('securemail.fetch.span_seconds', 'number', 'Time covered by the schedule from its first to its last wake-up, in seconds; attrs from, to (derived)'),
  d(
    'securemail.fetch.push_silence_seconds',
    'number',
    'Seconds from the last push wake-up, or from the first wake-up when there is none, to the last wake-up of any kind (derived)',
  ),

  // The Secure Mail log (Module column, Secure Mail.APNS)
  d('securemail.log.apns_lines', 'number', 'How many Secure Mail.APNS lines the app log holds'),
  ev('securemail.log.apns_error', 'An ERROR or WARNING line of the Secure Mail.APNS module'),
  ev('securemail.log.missing_entitlement', "Registration for remote notifications failed: no valid 'aps-environment' entitlement, NSCocoaErrorDomain 3000"),
  ev('securemail.log.no_device_token', 'The app failed to get an APNs device token'),
  ev('securemail.log.device_token_received', 'The app got an APNs device token; the token itself is not kept'),
  ev('securemail.log.http_500', 'An HTTP 500 answer during push subscription; attrs target listener or ews'),
  ev('securemail.log.http_413', 'An HTTP 413, request entity too large, when subscribing to EWS'),
  ev('securemail.log.ews_auth_failure', 'An authentication failure while subscribing to EWS: 401, NTLM, certificate; attrs code'),
  ev(
    'securemail.log.network_error',
    'A network failure during push subscription: timeout, host unreachable, NSURLError -1001/-1003/-1004/-1005/-1009…; attrs code',
  ),
  ev('securemail.log.subscription_failed', 'The subscription to push notifications failed'),
  ev('securemail.log.subscription_succeeded', 'The subscription to push notifications succeeded'),
  ev('securemail.log.subscription_invalid', 'A validity check found the push subscription no longer valid'),
  ev('securemail.log.subscription_valid', 'A validity check found the push subscription valid'),
  ev('securemail.log.remote_notification', 'The app received a remote notification'),
  ev('securemail.log.low_power_on', 'The log says Low Power Mode is on'),
  ev('securemail.log.low_power_off', 'The log says Low Power Mode is off'),
  ev('securemail.log.background_refresh_denied', 'Background App Refresh is denied or restricted: UIBackgroundRefreshStatusDenied / Restricted; attrs status'),
  ev('securemail.log.background_refresh_available', 'Background App Refresh is available: UIBackgroundRefreshStatusAvailable'),

  // Answers
  d('securemail.device.background_refresh', 'boolean', 'Background App Refresh is on both globally and for Secure Mail (answered)'),
  d('securemail.device.low_power_mode', 'boolean', 'The device is in Low Power Mode when notifications fail (answered)'),
  d('securemail.app.distribution', 'string', "How Secure Mail was delivered: enterprise, wrapped with the customer's own App ID, or app_store (answered)"),
  d('securemail.network.tunnel_mode', 'string', 'How Secure Mail reaches the network through the gateway: split or full tunnel (answered)'),
  d('securemail.network.gateway_allows_listener', 'boolean', 'The NetScaler / Citrix Gateway lets tunnelled traffic reach the listener service (answered)'),
  d('securemail.exchange.reaches_listener', 'boolean', 'Every Exchange server can open outbound connections to the Citrix listener endpoint (answered)'),
  d(
    'securemail.exchange.event_log_listener_errors',
    'boolean',
    'The Exchange application event log, source MSExchange Web Services, shows failures to reach the listener URL (answered)',
  ),
  d('securemail.exchange.ews_auth', 'string', 'How EWS authenticates Secure Mail: certificate, ntlm, basic or modern (answered)'),
  d('securemail.exchange.activesync_auth', 'string', 'How Secure Mail authenticates to ActiveSync, its mail sync: certificate, basic or modern (answered)'),
];
