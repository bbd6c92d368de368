import type { Fact } from '../../facts/schema.js';
import { sourceOf, type Item } from '../types.js';
import type { ApnsEnvironment } from './hosts.js';
import { LEGACY_STATUSES, type ApnsReason } from './reasons.js';

/** One APNs answer being put together from the lines that state its parts. */
export interface PendingAnswer {
  line: number;
  status?: number;
  reason?: ApnsReason;
  legacy?: number;
  apnsId?: string;
  timestamp?: string;
  /** The apns-collapse-id the request carried, when the provider logged it. */
  collapseId?: string;
  via: 'http2' | 'goaway' | 'legacy';
  host?: string;
  environment?: ApnsEnvironment;
  at?: string;
  /** Zone of a time written without one ("unknown") or with an offset ("+01:00"); absent for UTC. */
  zone?: string;
  /** A pasted time without a date ("at 09:05"). */
  time?: string;
  mdm: boolean;
  context: boolean;
  /** Told by a person in words ("APNs returned 200 at 09:05"), not logged by a program. */
  stated?: boolean;
  udid?: string;
  /** The device token the push went to, when the line names it whole. */
  token?: string;
  /** The device token, when the line names it masked in its middle: `<first>…<last>`. */
  tokenMasked?: string;
  /** The device token, when the line hides it whole (`****`, `[REDACTED]`), as written. */
  tokenHidden?: string;
}

export interface HostSeen {
  environment: ApnsEnvironment;
  port?: string;
  line: number;
}

export interface TlsSeen {
  line: number;
  at?: string;
  zone?: string;
  mdm: boolean;
  count: number;
  host?: string;
}

/** Whether the parts gathered make an answer (a bare status needs a line about pushing). */
export function isAnswer(p: PendingAnswer): boolean {
  return !!p.reason || p.legacy !== undefined || (p.status !== undefined && p.context);
}

/** The fact an answer becomes: its reason (or status) with everything known about it as attributes. */
export function answerFact(p: PendingAnswer, item: Item): Fact {
  const reason = p.reason;
  const status = p.status ?? reason?.status;
  const legacyInfo = p.legacy !== undefined ? LEGACY_STATUSES.find((s) => s.code === p.legacy) : undefined;
  const value = reason?.reason ?? legacyInfo?.equivalent ?? (legacyInfo ? `legacy status ${legacyInfo.code}` : String(status));
  const attrs: Record<string, string> = { via: p.via };
  if (status !== undefined) attrs.status = String(status);
  if (reason) attrs.reason = reason.reason;
  const klass = reason?.class ?? legacyInfo?.class;
  if (klass) attrs.class = klass;
  if (legacyInfo) {
    attrs.legacy_status = String(legacyInfo.code);
    attrs.meaning = legacyInfo.meaning;
  }
  if (p.apnsId) attrs.apns_id = p.apnsId.toLowerCase();
  if (p.timestamp) attrs.timestamp = p.timestamp;
  if (p.collapseId) attrs.collapse_id = p.collapseId;
  if (p.host) attrs.host = p.host;
  if (p.environment) attrs.environment = p.environment;
  if (p.time) attrs.time = p.time;
  if (p.zone) attrs.zone = p.zone;
  if (p.stated) attrs.stated = 'words';
  if (p.udid) attrs.udid = p.udid;
  if (p.token) attrs.token = p.token;
  if (p.tokenMasked) attrs.token_masked = p.tokenMasked;
  if (p.tokenHidden) attrs.token_hidden = p.tokenHidden;
  return { name: p.mdm ? 'mdm.apns_response' : 'apns.response', value, source: sourceOf(item, p.line), ...(p.at ? { at: p.at } : {}), attrs };
}

/**
 * What only the whole input tells: one provider host means every answer came
 * from its environment, and an MDM server's log makes all its answers MDM answers.
 */
export function settleAnswers(facts: Fact[], hosts: ReadonlyMap<string, HostSeen>, mdmItem: boolean): void {
  const provider = [...hosts.values()];
  const single = new Set(provider.map((h) => h.environment)).size === 1 ? provider[0]?.environment : undefined;
  for (const f of facts) {
    if ((f.name === 'apns.response' || f.name === 'mdm.apns_response') && f.attrs && !f.attrs.environment && single) f.attrs.environment = single;
    if (mdmItem && f.name === 'apns.response') f.name = 'mdm.apns_response';
    if (mdmItem && f.name === 'apns.provider_connect_error') f.name = 'mdm.apns_connect_error';
  }
}

export function endpointFacts(hosts: ReadonlyMap<string, HostSeen>, item: Item): Fact[] {
  return [...hosts].map(([host, h]) => ({
    name: 'apns.endpoint',
    value: h.environment,
    source: sourceOf(item, h.line),
    attrs: { host, ...(h.port ? { port: h.port } : {}) },
  }));
}

/** One fact per kind of TLS failure, with how many lines showed it. */
export function tlsFacts(tls: ReadonlyMap<string, TlsSeen>, mdmItem: boolean, item: Item): Fact[] {
  return [...tls].map(([kind, t]) => ({
    name: t.mdm || mdmItem ? 'mdm.apns_tls_error' : 'apns.tls_error',
    value: kind,
    source: sourceOf(item, t.line),
    ...(t.at ? { at: t.at } : {}),
    attrs: { lines: String(t.count), ...(t.host ? { host: t.host } : {}), ...(t.zone ? { zone: t.zone } : {}) },
  }));
}
