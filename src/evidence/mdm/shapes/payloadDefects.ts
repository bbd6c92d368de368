import { str, type PlistDict } from '../../plist/index.js';
import { isPlaceholder } from '../placeholders.js';

export interface PayloadDefect {
  /** The MDM payload key at fault. */
  key: string;
  /** Whether the key is in the payload at all (its line can be cited). */
  present: boolean;
  /** Stable code: missing, localhost, placeholder_host, not_https, no_uuid, unresolved. */
  why: string;
  /** The key and why it cannot work, in words. */
  text: string;
}

const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
/** Hosts that are the enrolling device itself, never a server it could reach. */
const SELF_HOST = /^(?:localhost|localhost\.localdomain|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[?::1\]?|\[?::\]?)$/i;
/**
 * Hosts no deployment has: the reserved .test / .example / .invalid / .localhost
 * names (RFC 2606), "your…" labels, and template names such as server.url
 * (example.com itself is already a placeholder value).
 */
const TEMPLATE_HOST = /(?:^|\.)(?:your[-_]?[a-z0-9-]*|changeme|placeholder)(?:\.|$)|\.(?:test|example|invalid|localhost|url)$/i;

function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@]*@)?(\[[^\]]*\]|[^/:?#]+)/i.exec(url.trim());
  return m?.[1];
}

function urlDefects(key: string, url: string | undefined, required: boolean): PayloadDefect[] {
  if (!url) return required ? [{ key, present: false, why: 'missing', text: `${key} is missing: the device has no server to check in with` }] : [];
  // A template value is reported as a placeholder already; saying more about it adds nothing.
  if (isPlaceholder(url)) return [];
  const host = hostOf(url);
  if (host && SELF_HOST.test(host))
    return [{ key, present: true, why: 'localhost', text: `${key} ${url} names ${host}, which on the device is the device itself, not the MDM server` }];
  if (host && TEMPLATE_HOST.test(host))
    return [{ key, present: true, why: 'placeholder_host', text: `${key} ${url} names ${host}, a template host no device can reach` }];
  if (!/^https:\/\//i.test(url)) return [{ key, present: true, why: 'not_https', text: `${key} ${url} is not an https:// URL, which an MDM payload requires` }];
  return [];
}

/**
 * What makes an MDM payload (com.apple.mdm) unusable before any push is
 * sent: a server URL the device cannot reach (the device itself, not https),
 * no identity certificate (or one that names no payload of the profile), a
 * topic without the UUID the push certificate gives it. A missing Topic is
 * not listed: it is a cause of its own (the server had no push certificate).
 * Sources: Apple's MDM payload keys (ServerURL must be https; IdentityCertificateUUID
 * names the identity payload; Topic is the push certificate's com.apple.mgmt.… UID),
 * and the refusals devices log for them (micromdm #366, thrasr/mdm-server #15).
 */
export function payloadDefects(mdm: PlistDict, siblings: PlistDict[]): PayloadDefect[] {
  const out: PayloadDefect[] = [];
  out.push(...urlDefects('ServerURL', str(mdm.ServerURL), true));
  out.push(...urlDefects('CheckInURL', str(mdm.CheckInURL), false));

  const identity = str(mdm.IdentityCertificateUUID);
  if (!identity) {
    out.push({
      key: 'IdentityCertificateUUID',
      present: false,
      why: 'missing',
      text: 'IdentityCertificateUUID is missing: the device has no identity to enroll with, so it never sends a TokenUpdate',
    });
  } else if (!isPlaceholder(identity)) {
    const uuids = new Set(siblings.map((p) => str(p.PayloadUUID)?.toUpperCase()).filter(Boolean));
    if (!uuids.has(identity.toUpperCase()))
      out.push({
        key: 'IdentityCertificateUUID',
        present: true,
        why: 'unresolved',
        text: `IdentityCertificateUUID ${identity} names no payload of this profile (no SCEP, ACME or certificate payload has that PayloadUUID)`,
      });
  }

  const topic = str(mdm.Topic);
  if (topic?.startsWith('com.apple.mgmt.') && !isPlaceholder(topic)) {
    const last = topic.slice(topic.lastIndexOf('.') + 1);
    if (!UUID.test(last) || topic.split('.').length < 5)
      out.push({
        key: 'Topic',
        present: true,
        why: 'no_uuid',
        text: `Topic ${topic} lacks the UUID part an MDM push certificate's topic ends with (com.apple.mgmt.External.<UUID>)`,
      });
  }
  return out;
}
