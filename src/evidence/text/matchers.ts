import type { LogLine } from './lineFormat.js';
import { networkFailure, RE_NET_CODE } from './network.js';

/**
 * The table of mdmd / mdmclient / apsd messages pushcheck knows, each with
 * the facts it means. One entry per kind of line. Values shown as <private>
 * are never guessed: the attribute is left out and the reader records the
 * redaction.
 */

export interface Observation {
  /** Catalog name of the fact. */
  name: string;
  /** For event facts the reader puts the time here; a fixed value otherwise. */
  value?: string;
  attrs?: Record<string, string>;
}

const REDACTED = '<private>';
const clean = (v: string | undefined): string | undefined => {
  if (v === undefined) return undefined;
  const t = v.replace(/^['"‘’“”]+|['"‘’“”.,;]+$/g, '');
  return !t || t.includes(REDACTED) || t === '(null)' ? undefined : t;
};
/** Keys in the order given (name, value, attrs): the report lists them so. Assigned, not spread: one made per matched line. */
const withAttrs = (name: string, attrs: Record<string, string | undefined>, value?: string): Observation => {
  const out: Observation = { name };
  if (value !== undefined) out.value = value;
  let a: Record<string, string> | undefined;
  for (const k in attrs) {
    const v = attrs[k];
    if (v !== undefined) (a ??= {})[k] = v;
  }
  if (a) out.attrs = a;
  return out;
};

const STATUSES = new Set(['Acknowledged', 'NotNow', 'Idle', 'Error', 'CommandFormatError']);
const UUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/;

/** mdmclient runs as a daemon (device channel) and as an agent per user (user channel). */
function channelOf(l: LogLine): string | undefined {
  const hay = `${l.category ?? ''} ${l.message}`;
  if (/MDMDaemon|\bdaemon\b|<Device>|for: Device\b/i.test(hay)) return 'device';
  if (/MDMAgent|MDMUser|\bagent\b|<User>|for: User\b/i.test(hay)) return 'user';
  return undefined;
}

/** "[Acknowledged(InstallProfile):'6A1E…']" / "[NotNow]" / "[Idle]" after an HTTP response. */
function statusFromBracket(inner: string, l: LogLine): Observation[] {
  const m = /^(\w+)(?:\((\w+)\))?(?::(\w+))?/.exec(inner);
  if (!m || !STATUSES.has(m[1])) return [];
  const uuid = UUID.exec(inner)?.[0];
  return [withAttrs('mdm.command.status', { request_type: m[2] ?? m[3], command_uuid: uuid, channel: channelOf(l), origin: 'device log' }, m[1])];
}

export type Matcher = { test: RegExp; make(m: RegExpExecArray, l: LogLine): Observation[] };

/** A line written by apsd (its process, or its os_log subsystem). */
function isApsd(l: LogLine): boolean {
  return (!!l.process && (l.process.startsWith('apsd') || l.process === 'applepushserviced')) || !!l.subsystem?.startsWith('com.apple.apsd');
}

/** A line written by the MDM client (mdmd on iOS, mdmclient / ManagedClient on macOS). */
function isMdmClient(l: LogLine): boolean {
  const p = l.process ?? '';
  return p === 'mdmd' || p.startsWith('mdmclient') || p === 'ManagedClient' || p === 'mdmuserd' || !!l.subsystem?.startsWith('com.apple.ManagedClient');
}

const COURIER_HOST = /^[\w.-]*courier\.(?:sandbox\.)?push\.apple\.com$/;

export const MATCHERS: Matcher[] = [
  {
    test: /Rejecting MDM push dictionary because it does not have the right magic string/,
    make: () => [withAttrs('device.log.magic_rejection', {})],
  },
  {
    test: /Connected to courier\s+(\S+)/,
    make: (m, l) => {
      const host = clean(m[1]);
      const known = host && COURIER_HOST.test(host) ? host : undefined;
      const env = known ? (known.includes('.sandbox.') ? 'sandbox' : 'production') : /\bdevelopment\b|sandbox/.test(l.message) ? 'sandbox' : undefined;
      return [withAttrs('device.log.courier_connected', { host: known, env })];
    },
  },
  {
    test: /Disconnecting in response to connection failure/,
    make: () => [withAttrs('device.log.connection_failure', {})],
  },
  {
    // "Received message for enabled topic '…' onInterface…", "Received high priority message for topic '…'"
    test: /Received (?:(high|low) priority )?message for (?:enabled )?topic:? (['"‘“]?[^\s,]+)/,
    make: (m) => [withAttrs('device.log.push_received', { topic: clean(m[2]), priority: m[1] })],
  },
  {
    test: /Received message for (ignored|recently removed) topic:? (['"‘“]?[^\s,]+)/,
    make: (m) => [withAttrs('device.log.push_ignored', { reason: m[1], topic: clean(m[2]) })],
  },
  {
    test: /Received message for unknown topic hash/,
    make: () => [withAttrs('device.log.push_ignored', { reason: 'unknown topic hash' })],
  },
  {
    test: /Received incoming push notification for topic:? (\S+) but for a completely unknown token/,
    make: (m) => [withAttrs('device.log.push_unknown_token', { topic: clean(m[1]) })],
  },
  {
    // mdmd itself got the MDM push (apsd handed it over); the magic check comes after.
    test: /^(?:MDM\|\s*)?Received push notification\b/,
    make: (_m, l) => [withAttrs('device.log.push_received', { process: l.process })],
  },
  {
    test: /Skipped token update due to incomplete migration/,
    make: () => [withAttrs('device.log.token_update_skipped', {})],
  },
  {
    test: /Received HTTP response \((\d{3})\)(?:\s*\[([^\]]*)\]?)?/,
    make: (m, l) => [withAttrs('device.log.checkin', { http_status: m[1], channel: channelOf(l) }), ...(m[2] ? statusFromBracket(m[2], l) : [])],
  },
  {
    // Confirmed (iOS mdmd in syslog, quoted in a public MDM write-up): "MDM|Transaction completed. Status: 200".
    test: /Transaction completed\. Status: (\d{3})/,
    make: (m, l) => [withAttrs('device.log.checkin', { http_status: m[1], channel: channelOf(l) })],
  },
  {
    // Confirmed (lionheart/openradar-mirror #19740): iOS mdmd "Handling request type: ScheduleOSUpdate",
    // "Attempting to perform Supervised request: ScheduleOSUpdate".
    test: /Handling request type:\s*(\w+)|Attempting to perform (?:Supervised )?request:\s*(\w+)/,
    make: (m, l) => [withAttrs('device.log.command', { channel: channelOf(l), process: l.process }, m[1] ?? m[2])],
  },
  {
    test: /Polling MDM server\b/,
    make: (_m, l) => [withAttrs('device.log.checkin', { kind: 'poll', channel: channelOf(l) })],
  },
  {
    test: /Processing server request:\s*(\w+)/,
    make: (m, l) => [withAttrs('device.log.command', { channel: channelOf(l), process: l.process }, m[1])],
  },
  {
    // macOS mdmclient: "[com.apple.ManagedClient.InstallApplication] Scheduled InstallApplication from: https://…"
    test: /^Scheduled ([A-Z]\w+) from\b/,
    make: (m, l) => [withAttrs('device.log.command', { channel: channelOf(l), process: l.process, action: 'scheduled' }, m[1])],
  },
  {
    test: /\b[Ss]tatus\W{1,3}(Acknowledged|NotNow|Idle|Error|CommandFormatError)\b/,
    make: (m, l) => {
      // Server logs ("level=info … status=NotNow id=<udid>") say the same words; only a device process's line is device evidence.
      if (!l.process || (/=/.test(l.message.slice(0, 40)) && /\blevel=/.test(l.message))) return [];
      const uuid = UUID.exec(l.message)?.[0];
      const type = /RequestType\W{1,3}(\w+)/.exec(l.message)?.[1];
      return [withAttrs('mdm.command.status', { request_type: type, command_uuid: uuid, channel: channelOf(l), origin: 'device log' }, m[1])];
    },
  },
  {
    // Quoted as Apple writes it ('…'), and as Firebase's iOS SDK repeats it ("…", I-FCM012002).
    test: /no valid ['‘"“]?aps-environment['’"”]? entitlement string found/,
    make: () => [withAttrs('device.log.aps_environment_missing', {})],
  },
  {
    // apsd(PersistentConnection): "copyTokenForDomain push.apple.com (null)"; the token is a secret, keep only whether there was one.
    test: /copyTokenForDomain\s+(\S+)\s+(\S+)/,
    make: (m) => [
      withAttrs('device.log.copy_token', { domain: clean(m[1]), token: m[2].startsWith('(null)') ? 'none' : m[2].includes(REDACTED) ? undefined : 'present' }),
    ],
  },
  {
    test: /environment <APSEnvironment: [^>]*?(production|development|sandbox)>|<APSCourier[^>]*?\b(production|development)>/,
    make: (m) => [{ name: 'device.log.push_environment', value: (m[1] ?? m[2]) === 'production' ? 'production' : 'development' }],
  },
  // ---- The device cannot hold its push connection (seed 001 "Observing Push Status Messages"; seed 000 network).
  {
    // Confirmed (OneSignal/OneSignal-iOS-SDK #514, an Xcode console copy): apsd "Task <…> HTTP load failed, 0/0
    // bytes (error code: -1003 [12:8])" and "finished with error [-1003] Error Domain=NSURLErrorDomain Code=-1003".
    // The -1009 / -1001 forms are the same NSURLError line with Apple's other public codes.
    test: /NSURLErrorDomain|kCFErrorDomainCFNetwork|error code:? \(?-\d{4}|finished with error \[-|errSSL|specified hostname could not be found|connection appears to be offline|request timed out|Could not connect to the server|network connection was lost|secure connection to the server/i,
    make: (_m, l) => {
      const f = networkFailure(l.message);
      if (!f) return [];
      if (isApsd(l)) return [withAttrs('device.log.push_network_error', { kind: f.kind, code: f.code })];
      if (isMdmClient(l)) return [withAttrs('device.log.mdm_connection_error', { kind: f.kind, code: f.code })];
      return [];
    },
  },
  {
    // Shaped from descriptions (no public apsd line found to copy): apsd naming its courier connection as failed,
    // refused or timed out, and TLS failures on that connection.
    test: /courier|\bTLS\b|\bSSL\b|boringssl/i,
    make: (_m, l) => {
      // Lines with an NSURLError code or description are the matcher above's.
      if (!isApsd(l) || /Connected to courier|Disconnecting in response to connection failure/.test(l.message) || networkFailure(l.message)) return [];
      if (/\b(?:TLS|SSL|boringssl)\b[\s\S]*?\b(?:fail(?:ed|ure)?|error|alert|handshake fail)/i.test(l.message) && !/succe/i.test(l.message))
        return [withAttrs('device.log.push_network_error', { kind: 'tls' })];
      if (
        /courier/i.test(l.message) &&
        /\b(?:fail(?:ed|ure|s)?|could not|couldn't|unable to|timed? ?out|refused|unreachable)\b/i.test(l.message) &&
        !RE_NET_CODE.test(l.message)
      )
        return [withAttrs('device.log.push_network_error', { kind: 'courier' })];
      return [];
    },
  },
  {
    // Confirmed (Der Flounder, 2026-09-15, a macOS VM's `log show`): apsd "[com.apple.apsd:courier]
    // APSBAAClientIdentityProvider failed to obtain a BAA cert" after "(DeviceIdentity) … Failed to create reference
    // key."; the same write-up quotes "Failed to copy AVP guest identity data" (a VM without guest provisioning).
    test: /APSBAAClientIdentityProvider failed to obtain|Failed to create ref(?:erence)? key|Failed to copy AVP guest identity|Couldn't get device identity|failed to (?:obtain|fetch|get|copy) (?:a |the )?(?:BAA|device identity|client identity)/i,
    make: (m) => [
      withAttrs('device.log.push_identity_failure', {
        detail: /BAA/i.test(m[0]) ? 'baa_certificate' : /AVP guest/i.test(m[0]) ? 'vm_guest_identity' : 'device_identity',
      }),
    ],
  },
  {
    // Confirmed (same write-up): what a working guest logs instead.
    test: /APSBAAClientIdentityProvider obtained BAA cert/i,
    make: () => [withAttrs('device.log.push_identity_obtained', {})],
  },

  // ---- Enrollment that never completed.
  {
    // Confirmed: profiled "(Error) MC: Cannot retrieve SCEP identity: NSError: … Domain : MCSCEPErrorDomain Code : 22003"
    // (wso2-attic/wso2mobileserver #2); "The SCEP server returned an invalid response." (mosen/SCEPy #1);
    // macOS mdmclient "[MDM_SCEP_Enroll] Calling SCEPRequestCertSignature --> <NSOSStatusErrorDomain:-603>" (micromdm #436).
    test: /Cannot retrieve SCEP identity|MCSCEPErrorDomain|SCEP server returned an invalid response|MDM_SCEP_Enroll\][\s\S]*?-->\s*<?(\w+):?(-?\d+)?/,
    make: (m, l) => {
      const code = /Code\s*[:=]\s*(-?\d+)/.exec(l.message)?.[1] ?? m[2];
      return [withAttrs('device.log.scep_failure', { code, domain: /MCSCEPErrorDomain/.test(l.message) ? 'MCSCEPErrorDomain' : m[1] })];
    },
  },
  {
    // Confirmed: "Sugg : The required field “Topic” is missing." with MCProfileErrorDomain 1000 / MCPayloadErrorDomain
    // 2000, fixed by giving the server its push certificate (micromdm #496); the same words for
    // IdentityCertificateUUID (thrasr/mdm-server #15).
    test: /The required field [“"']?(\w+)[”"']? is missing/,
    make: (m) => [withAttrs('device.log.profile_refused', {}, m[1])],
  },
];
