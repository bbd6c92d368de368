import { bool, isDict, isoDate, str, type PlistDict, type PlistValue } from '../../plist/index.js';
import type { Collector } from '../emit.js';
import { isPlaceholder } from '../placeholders.js';
import { payloadDefects } from './payloadDefects.js';

/** A configuration profile: an installed one (a stub) or one as served (.mobileconfig). */
export function isProfile(d: PlistDict): boolean {
  return Array.isArray(d.PayloadContent) || d.PayloadType === 'Configuration';
}

function payloads(d: PlistDict): PlistDict[] {
  return Array.isArray(d.PayloadContent) ? d.PayloadContent.filter(isDict) : [];
}

/** Keys whose values are descriptions for people, never settings a placeholder could break. */
const PROSE_KEYS = /^(PayloadDescription|PayloadDisplayName|PayloadOrganization|ConsentText)$/;

function* stringsOf(v: PlistValue, key: string, depth = 0): Generator<[string, string]> {
  if (depth > 12) return;
  if (typeof v === 'string') yield [key, v];
  else if (Array.isArray(v)) for (const x of v) yield* stringsOf(x, key, depth + 1);
  else if (isDict(v)) for (const [k, x] of Object.entries(v)) if (!PROSE_KEYS.test(k)) yield* stringsOf(x, k, depth + 1);
}

/**
 * Apple's logging profiles (Managed Configuration, APNs / PersistentConnection)
 * are what makes mdmd and apsd lines readable instead of <private>.
 */
function loggingKind(p: PlistDict, profile: PlistDict): 'managed_configuration' | 'apns' | 'logging' | undefined {
  const names = [p.PayloadType, p.PayloadIdentifier, p.PayloadDisplayName, profile.PayloadIdentifier, profile.PayloadDisplayName]
    .map((x) => (typeof x === 'string' ? x : ''))
    .join(' ');
  const inner = `${[...stringsOf(p, '')].map(([k, v]) => `${k} ${v}`).join(' ')} ${Object.keys(isDict(p.Subsystems) ? p.Subsystems : {}).join(' ')}`;
  const hay = `${names} ${inner}`;
  const logging = p.PayloadType === 'com.apple.system.logging' || /logging|debug/i.test(names) || /persistentconnection|APSLog|APSWriteLogs/i.test(hay);
  if (!logging) return undefined;
  if (/persistentconnection|com\.apple\.apsd?\b|\bAPS\b|APSLog|apsd/i.test(hay)) return 'apns';
  if (/ManagedConfiguration|managedconfiguration|mdmclient|ManagedClient|com\.apple\.mdm/i.test(hay)) return 'managed_configuration';
  return 'logging';
}

/**
 * An installed profile's stub (logs/MCState/Shared/profile-*.stub): the
 * MDM payload there is what the device enrolled with.
 */
export function readProfileStub(d: PlistDict, out: Collector): void {
  const installed = isoDate(d.InstallDate);
  let after = 0;
  for (const p of payloads(d)) {
    const start = after;
    const here = out.origin.lines.offset('PayloadType', after);
    if (p.PayloadType === 'com.apple.mdm') {
      const topic = str(p.Topic);
      if (topic) out.value('device.topic', 'topic', topic, { key: 'Topic', after: start });
      const server = str(p.ServerURL);
      if (server) out.fact('device.server_url', server, { key: 'ServerURL', after: start });
      const checkin = str(p.CheckInURL);
      if (checkin) out.fact('device.checkin_url', checkin, { key: 'CheckInURL', after: start });
      const identity = str(p.IdentityCertificateUUID);
      if (identity) out.fact('device.mdm_identity', identity, { key: 'IdentityCertificateUUID', after: start });
      const dev = bool(p.UseDevelopmentAPNS);
      if (dev !== undefined) out.fact('device.mdm_apns_environment', dev ? 'development' : 'production', { key: 'UseDevelopmentAPNS', after: start });
      if (installed) out.fact('device.mdm_profile_installed_at', installed, { key: 'InstallDate', at: installed });
      out.fact('device.mdm_enrolled', true, { key: 'PayloadType', after: start });
    }
    const kind = loggingKind(p, d);
    if (kind) {
      out.fact('device.logging_profiles', kind, {
        key: 'PayloadType',
        after: start,
        ...(installed ? { at: installed } : {}),
        attrs: { identifier: str(d.PayloadIdentifier), payload: str(p.PayloadIdentifier), name: str(d.PayloadDisplayName) },
      });
    }
    if (here !== undefined) after = here + 1;
  }
}

/** An enrollment profile as served: its MDM payload is what devices will enroll with. */
export function readEnrollmentProfile(d: PlistDict, out: Collector): void {
  out.fact('profile.signed', out.origin.signed === true);
  let after = 0;
  let sawMdm = false;
  for (const p of payloads(d)) {
    const start = after;
    const here = out.origin.lines.offset('PayloadType', after);
    if (p.PayloadType === 'com.apple.mdm') {
      sawMdm = true;
      const topic = str(p.Topic);
      if (topic) out.fact('profile.topic', topic, { key: 'Topic', after: start });
      else out.fact('profile.topic_missing', true, { key: p.Topic === undefined ? 'PayloadType' : 'Topic', after: start });
      const server = str(p.ServerURL);
      if (server) out.fact('profile.server_url', server, { key: 'ServerURL', after: start });
      const checkin = str(p.CheckInURL);
      if (checkin) out.fact('profile.checkin_url', checkin, { key: 'CheckInURL', after: start });
      for (const x of payloadDefects(p, payloads(d)))
        out.fact('profile.defect', x.text, { key: x.present ? x.key : 'PayloadType', after: start, attrs: { key: x.key, why: x.why } });
    }
    // Placeholders anywhere matter: a template SCEP URL breaks enrollment as surely as a template topic.
    for (const [key, value] of stringsOf(p, '')) {
      if (isPlaceholder(value)) out.fact('profile.placeholder', value, { key, after: start, attrs: { key, payload: str(p.PayloadType) } });
    }
    if (here !== undefined) after = here + 1;
  }
  if (!sawMdm && payloads(d).length === 0 && d.EncryptedPayloadContent !== undefined)
    out.problem('mdm.profile.encrypted', 'is an encrypted profile; its payloads cannot be read without the device identity');
}

/** Stubs are installed profiles: they carry an InstallDate or sit under MCState. */
export function looksInstalled(d: PlistDict, path: string): boolean {
  return /\.stub$/i.test(path) || /(^|\/)MCState\//.test(path) || d.InstallDate !== undefined || d.InstallOptions !== undefined;
}
