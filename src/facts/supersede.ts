import { createHash } from 'node:crypto';
import { atOf, attrAt, msOf, occurrences } from './fold.js';
import type { Fact } from './schema.js';

/**
 * Newer evidence supersedes older (issue 8 item 3) for what the server pushes with: a TokenUpdate gave the
 * server a PushMagic and token at one time, and a push line shows which it carried at another. Of one
 * device's values, the latest is what the server uses now; an older, different value is history. Only
 * times that can be compared count: UTC or an offset, or times without a zone from the same input.
 * Values without any time (pasted, a check-in saved on its own) are never superseded and supersede nothing.
 * Likewise APNs refusing a device's push is history once APNs accepted a later push to the same device
 * (MDM: the same UDID; app push: the same device token).
 */
const BY_TIME: ReadonlySet<string> = new Set(['server.push_magic', 'server.push_token']);

interface Timed {
  ms: number;
  /** What the time can be compared with: "utc", or "unknown@<input>" for a wall clock without a zone. */
  clock: string;
}

/**
 * When the fact was last seen: a folded fact's latest observation. `clocks` names, for an input whose times
 * carry no zone, the input whose wall clock it shares (see sharedEventClocks).
 */
function timeOf(f: Fact, clocks?: ReadonlyMap<string, string>): Timed | undefined {
  const at = f.at ?? f.attrs?.pushed_at;
  if (!at) return undefined;
  let ms = Date.parse(at);
  if (f.at && f.fold) for (let i = 1; i < occurrences(f); i++) ms = Math.max(ms, msOf(f, i) || ms);
  if (!Number.isFinite(ms)) return undefined;
  const zone = f.at ? f.attrs?.zone : f.attrs?.pushed_zone;
  const input = 'input' in f.source ? f.source.input : '';
  return { ms, clock: zone === 'unknown' ? `unknown@${clocks?.get(input) ?? input}` : 'utc' };
}

/** The Secure Mail events file's facts: its rows, and each step's failure or success. */
const EVENT_ROWS: ReadonlySet<string> = new Set(['securemail.apns_event', 'securemail.apns.failed_operation', 'securemail.apns.succeeded_operation']);
/** Rows two exports must share, at least, to be taken for one device's events file exported twice. */
const SHARED_ROWS = 2;

/** Every observation's time of a (folded) fact. */
function timesOf(f: Fact): string[] {
  if (!f.fold) return f.at ? [f.at] : [];
  const out: string[] = [];
  for (let i = 0; i < occurrences(f); i++) out.push(atOf(f, i));
  return out;
}

const rowKey = (f: Fact) => `${f.name}\u0000${String(f.value)}\u0000${f.attrs?.status ?? ''}\u0000${f.attrs?.tenant ?? ''}\u0000${f.attrs?.token ?? ''}`;

/**
 * CtxLog_APNS_Events.csv re-saved in Excel keeps only the wall clock, and each input's wall clock is its own.
 * Two exports of one device's events file (taken a day apart, the later one repeating the rows the earlier
 * held) share rows: the same step, status, tenant and token at the same wall-clock time. Inputs that share
 * SHARED_ROWS rows or more are one device's file, on one clock: the map names, per input, the input whose
 * clock it is on (the first by name of its group).
 */
function sharedEventClocks(facts: readonly Fact[]): Map<string, string> {
  const inputsOf = new Map<string, Set<string>>();
  for (const f of facts) {
    if (f.name !== 'securemail.apns_event' || f.attrs?.zone !== 'unknown' || f.source.kind !== 'file') continue;
    for (const at of timesOf(f)) {
      const key = `${rowKey(f)}\u0000${at}`;
      const set = inputsOf.get(key);
      if (set) set.add(f.source.input);
      else inputsOf.set(key, new Set([f.source.input]));
    }
  }
  const shared = new Map<string, number>();
  for (const inputs of inputsOf.values()) {
    if (inputs.size < 2) continue;
    const list = [...inputs].sort();
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const pair = `${list[i]}\u0000${list[j]}`;
        shared.set(pair, (shared.get(pair) ?? 0) + 1);
      }
  }
  const clock = new Map<string, string>();
  const root = (x: string): string => {
    const up = clock.get(x);
    return up === undefined || up === x ? x : root(up);
  };
  for (const [pair, n] of [...shared].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (n < SHARED_ROWS) continue;
    const [a, b] = pair.split('\u0000').map(root);
    if (a === b) continue;
    const [first, second] = [a, b].sort();
    clock.set(second!, first!);
  }
  const members = new Set([...clock.keys(), ...clock.values()]);
  return new Map([...members].map((x) => [x, root(x)]));
}

/**
 * A row two exports of one events file both hold is one event: the copy in the export that holds fewer of
 * its rows (or, for two alike, the later by name) is dropped, so a step is not counted twice.
 */
function repeatedEventRows<F extends Fact>(facts: readonly F[], clocks: ReadonlyMap<string, string>, dropped: Set<F>): void {
  const byKey = new Map<string, { f: F; input: string; times: Set<string> }[]>();
  for (const f of facts) {
    if (!EVENT_ROWS.has(f.name) || f.attrs?.zone !== 'unknown' || f.source.kind !== 'file' || !clocks.has(f.source.input)) continue;
    const key = `${clocks.get(f.source.input)}\u0000${rowKey(f)}`;
    const entry = { f, input: f.source.input, times: new Set(timesOf(f)) };
    const list = byKey.get(key);
    if (list) list.push(entry);
    else byKey.set(key, [entry]);
  }
  for (const list of byKey.values())
    for (const a of list)
      if (
        list.some(
          (b) =>
            b.input !== a.input &&
            [...a.times].every((t) => b.times.has(t)) &&
            (b.times.size > a.times.size || (b.times.size === a.times.size && b.input < a.input)),
        )
      )
        dropped.add(a.f);
}

/**
 * Which device (MDM: its UDID) or which app copy (app push: its device token) an APNs answer was for. The
 * key's kind is part of it, so a UDID never meets a token.
 */
function answeredFor(f: Fact): string | undefined {
  if (f.name === 'apns.response') {
    const token = f.attrs?.token?.trim().toLowerCase();
    return token ? `token:${token}` : undefined;
  }
  const udid = f.attrs?.udid?.trim().toUpperCase();
  return udid ? `udid:${udid}` : undefined;
}

const isAccepted = (f: Fact) =>
  (f.name === 'server.push_status' && Number(f.value) === 200) ||
  ((f.name === 'mdm.apns_response' || f.name === 'apns.response') && (String(f.value) === '200' || f.attrs?.status === '200'));

/** APNs refusing one device's push (410 Unregistered, BadDeviceToken, a bare 403…) is history once APNs accepted a later push to it. */
function acceptedLater<F extends Fact>(facts: readonly F[]): Map<string, Timed[]> {
  const accepted = new Map<string, Timed[]>();
  for (const f of facts) {
    const ok = isAccepted(f);
    const key = ok ? answeredFor(f) : undefined;
    const t = ok && key ? timeOf(f) : undefined;
    if (!t) continue;
    const list = accepted.get(key!);
    if (list) list.push(t);
    else accepted.set(key!, [t]);
  }
  return accepted;
}

function refusalsSuperseded<F extends Fact>(facts: readonly F[], dropped: Set<F>): void {
  let accepted: Map<string, Timed[]> | undefined;
  for (const f of facts) {
    // (An MDM server's bare status for one device, 403 or 410, is APNs's answer as much as a logged reason is.)
    const bareRefusal = f.name === 'server.push_status' && Number(f.value) >= 400;
    if ((f.name !== 'mdm.apns_response' && f.name !== 'apns.response' && !bareRefusal) || isAccepted(f)) continue;
    const key = answeredFor(f);
    const t = key ? timeOf(f) : undefined;
    if (!t) continue;
    accepted ??= acceptedLater(facts);
    if (accepted.get(key!)?.some((a) => a.clock === t.clock && a.ms > t.ms)) dropped.add(f);
  }
}

/** Which APNs environment a fact's connection went to, when it says. */
function environmentOf(f: Fact): string | undefined {
  const host = f.attrs?.host ?? '';
  if (host) return /sandbox|development/i.test(host) ? 'sandbox' : 'production';
  const env = f.attrs?.environment;
  return env ? (/sandbox|development/i.test(env) ? 'sandbox' : 'production') : undefined;
}

/**
 * A TLS failure talking to APNs (a certificate refused as expired or revoked, a handshake aborted, a
 * server certificate not trusted) is history once APNs accepted a later push from the same sender: the
 * certificate was renewed and loaded, the trust store fixed. The MDM server's failures are judged by its
 * own accepted pushes, an app provider's by its own; a push to the other APNs environment says nothing.
 */
function handshakesSuperseded<F extends Fact>(facts: readonly F[], dropped: Set<F>): void {
  const senderOf = (f: Fact): 'mdm' | 'app' | undefined => (f.name === 'mdm.apns_tls_error' ? 'mdm' : f.name === 'apns.tls_error' ? 'app' : undefined);
  let accepted: { sender: 'mdm' | 'app'; t: Timed; env?: string }[] | undefined;
  for (const f of facts) {
    const sender = senderOf(f);
    const t = sender ? timeOf(f) : undefined;
    if (!t) continue;
    accepted ??= facts.flatMap((a) => {
      const by = a.name === 'apns.response' ? 'app' : a.name === 'server.push_status' || a.name === 'mdm.apns_response' ? 'mdm' : undefined;
      const at = by && isAccepted(a) ? timeOf(a) : undefined;
      return at ? [{ sender: by!, t: at, env: environmentOf(a) }] : [];
    });
    const env = environmentOf(f);
    if (accepted.some((a) => a.sender === sender && a.t.clock === t.clock && a.t.ms > t.ms && (!env || !a.env || env === a.env))) dropped.add(f);
  }
}

/**
 * APNs refuses a connection made with an expired certificate, so a push certificate that had expired before
 * APNs accepted a push it would have signed is not the one the sender uses (an old file attached beside the
 * renewed or replacing one, or a provider that moved to token authentication): its expiry and its topic say
 * nothing of the pushes. An MDM certificate is judged by the MDM server's accepted pushes; an app's by the
 * provider's accepted pushes, when the provider pushes on that app's topic.
 */
function certificatesOutOfUse<F extends Fact>(facts: readonly F[], dropped: Set<F>): void {
  const kindOf = (f: Fact) => (f.attrs?.kind === 'mdm' || f.attrs?.kind === 'app' ? f.attrs.kind : undefined);
  const certKey = (f: Fact) =>
    f.name.startsWith('cert.') && kindOf(f) && f.source.kind === 'file'
      ? `${f.source.input}\u0000${f.source.member ?? ''}\u0000${f.source.line ?? 0}`
      : undefined;
  const certs = new Map<string, { kind: string; topic: string; notAfter: number }>();
  for (const f of facts) {
    const key = f.name === 'cert.not_after' ? certKey(f) : undefined;
    const ms = key ? Date.parse(String(f.value)) : Number.NaN;
    if (key && Number.isFinite(ms)) certs.set(key, { kind: kindOf(f)!, topic: f.attrs?.topic ?? '', notAfter: ms });
  }
  if (!certs.size) return;
  let latestMdm = Number.NEGATIVE_INFINITY;
  let latestApp = Number.NEGATIVE_INFINITY;
  const appTopics = new Set<string>();
  // The topics an MDM server's log shows it pushing on: one with several certificates (one per topic) may
  // push fine on one while another has expired.
  const mdmTopics = new Set<string>();
  for (const f of facts) {
    if (f.name === 'apns.topic' || f.name === 'apns.topic_bundle') appTopics.add(String(f.value).trim());
    if (f.name === 'server.topic' && f.at) mdmTopics.add(String(f.value).trim());
    const mdm = (f.name === 'server.push_status' || f.name === 'mdm.apns_response') && isAccepted(f);
    const app = f.name === 'apns.response' && isAccepted(f);
    const t = mdm || app ? timeOf(f) : undefined;
    if (t?.clock !== 'utc') continue;
    if (mdm) latestMdm = Math.max(latestMdm, t.ms);
    else latestApp = Math.max(latestApp, t.ms);
  }
  const outOfUse = new Set<string>();
  for (const [key, c] of certs)
    if (c.kind === 'mdm' ? c.notAfter < latestMdm && (!mdmTopics.size || mdmTopics.has(c.topic)) : c.notAfter < latestApp && appTopics.has(c.topic))
      outOfUse.add(key);
  if (!outOfUse.size) return;
  // What was worked out from such a certificate (has it expired by now?) names it by its kind, topic and expiry.
  const gone = new Set([...outOfUse].map((k) => `${certs.get(k)!.kind}\u0000${certs.get(k)!.topic}\u0000${certs.get(k)!.notAfter}`));
  for (const f of facts) {
    const derivedFromIt = f.name === 'cert.expired' && gone.has(`${kindOf(f)}\u0000${f.attrs?.topic ?? ''}\u0000${Date.parse(f.attrs?.not_after ?? '')}`);
    if (outOfUse.has(certKey(f) ?? '') || derivedFromIt) dropped.add(f);
  }
}

/** When a fact was first seen: a folded fact's `at` is its first observation's. */
function firstTimeOf(f: Fact): Timed | undefined {
  const t = timeOf(f);
  if (!t || !f.fold) return t;
  const first = Date.parse(f.at!);
  return Number.isFinite(first) ? { ...t, ms: first } : t;
}

/** The devices each observation of a server's topic was pushed to (empty when its line named none). */
export function pushedTo(f: Fact): string[] {
  const each = f.fold ? Array.from({ length: occurrences(f) }, (_, i) => attrAt(f, i, 'pushed_to')) : [f.attrs?.pushed_to];
  return each.flatMap((v) => (v ? v.split(',').map((d) => d.trim().toUpperCase()) : []));
}

/**
 * The topic a server pushes on, as its log names it push by push: a topic is history once the server
 * switched to another for good (every push on the old one before every push on the new one: a certificate
 * replaced). Two topics used by turns (a certificate per group of devices) overlap, and neither is history.
 * Where the log says which devices each push was for, a switch also needs a device pushed on both, old then
 * new: one group of devices pushed entirely before another group on another topic is two certificates, not one replaced.
 */
function topicsSwitched<F extends Fact>(facts: readonly F[], dropped: Set<F>): void {
  const spans = new Map<string, { first: number; last: number; clock: string; facts: F[]; devices: Set<string> }>();
  const tagged = new Set<string>();
  for (const f of facts) {
    if (f.name !== 'server.topic' || f.attrs?.udid) continue;
    const last = timeOf(f);
    const first = firstTimeOf(f);
    if (!last || !first) continue;
    // One log shows a switch; two logs of two servers (or two certificates' groups) do not.
    const input = f.source.kind === 'file' || f.source.kind === 'pasted' ? f.source.input : '';
    const clock = `${input}\u0000${last.clock}`;
    const key = `${clock}\u0000${norm(f.value)}`;
    const devices = pushedTo(f);
    if (devices.length) tagged.add(clock);
    const s = spans.get(key);
    if (!s) spans.set(key, { first: first.ms, last: last.ms, clock, facts: [f], devices: new Set(devices) });
    else {
      s.first = Math.min(s.first, first.ms);
      s.last = Math.max(s.last, last.ms);
      s.facts.push(f);
      for (const d of devices) s.devices.add(d);
    }
  }
  if (spans.size < 2) return;
  const movedFrom = (a: { devices: Set<string>; clock: string }, b: { devices: Set<string> }) =>
    !tagged.has(a.clock) || [...a.devices].some((d) => b.devices.has(d));
  for (const a of spans.values())
    if ([...spans.values()].some((b) => b !== a && b.clock === a.clock && b.first > a.last && movedFrom(a, b))) for (const f of a.facts) dropped.add(f);
}

/** A CheckOut is history once the same device enrolled again after it (Authenticate or TokenUpdate). */
function checkoutsSuperseded<F extends Fact>(facts: readonly F[], dropped: Set<F>): void {
  const udidOf = (f: Fact) => f.attrs?.udid?.trim().toUpperCase();
  let enrolled: Map<string, Timed[]> | undefined;
  for (const f of facts) {
    const udid = f.name === 'mdm.checkin.checkout' ? udidOf(f) : undefined;
    const t = udid ? timeOf(f) : undefined;
    if (!t) continue;
    enrolled ??= facts.reduce((m, e) => {
      const u = e.name === 'mdm.checkin.authenticate' || e.name === 'mdm.checkin.token_update' ? udidOf(e) : undefined;
      const et = u ? timeOf(e) : undefined;
      if (et) m.get(u!)?.push(et) ?? m.set(u!, [et]);
      return m;
    }, new Map<string, Timed[]>());
    if (enrolled.get(udid!)?.some((e) => e.clock === t.clock && e.ms > t.ms)) dropped.add(f);
  }
}

export function withoutSuperseded<F extends Fact>(facts: readonly F[]): readonly F[] {
  const groups = new Map<string, { f: F; t: Timed }[]>();
  for (const f of facts) {
    if (!BY_TIME.has(f.name)) continue;
    const t = timeOf(f);
    if (!t) continue;
    const key = `${f.name}\u0000${f.attrs?.udid?.trim().toUpperCase() ?? ''}`;
    const g = groups.get(key);
    if (g) g.push({ f, t });
    else groups.set(key, [{ f, t }]);
  }
  const dropped = new Set<F>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    for (const { f, t } of g) {
      const newer = g.some((o) => o.t.clock === t.clock && o.t.ms > t.ms && norm(o.f.value) !== norm(f.value));
      if (newer) dropped.add(f);
    }
  }
  refusalsSuperseded(facts, dropped);
  handshakesSuperseded(facts, dropped);
  certificatesOutOfUse(facts, dropped);
  checkoutsSuperseded(facts, dropped);
  topicsSwitched(facts, dropped);
  retriedSteps(facts, dropped);
  statesSuperseded(facts, dropped);
  return dropped.size ? facts.filter((f) => !dropped.has(f)) : facts;
}

/** What a failed Secure Mail subscription leaves in the app log; all of it is history once a later subscription went through. */
const SUBSCRIPTION_FAILURES: ReadonlySet<string> = new Set([
  'securemail.apns.failed_operation',
  'securemail.log.subscription_failed',
  'securemail.log.network_error',
  'securemail.log.http_500',
  'securemail.log.http_413',
  'securemail.log.ews_auth_failure',
]);
/** The steps that end a subscription: once one succeeds, the steps before it worked too. */
const FINAL_STEPS: ReadonlySet<string> = new Set(['subscription', 'ews_subscription', 'listener_update']);
/** The subscription's steps in the order the app takes them (seed 003): a step succeeding means those before it did. */
const STEP_ORDER = ['tenant_id', 'registration', 'ews_subscription', 'listener_update'];

/**
 * A Secure Mail subscription that failed is history once a later one went through (the app retries, and
 * the latest try is what holds now): a step of the APNs events file once the same step, or a final step,
 * succeeded later; a failure the app log recorded once the log or the events file shows a later success.
 */
function retriedSteps<F extends Fact>(facts: readonly F[], dropped: Set<F>): void {
  let succeeded: Map<string, (Timed & { tenant?: string })[]> | undefined;
  let tenants: Set<string> | undefined;
  const clocks = facts.some((f) => f.name === 'securemail.apns_event' && f.attrs?.zone === 'unknown') ? sharedEventClocks(facts) : undefined;
  if (clocks?.size) repeatedEventRows(facts, clocks, dropped);
  for (const f of facts) {
    if (!SUBSCRIPTION_FAILURES.has(f.name)) continue;
    const t = timeOf(f, clocks);
    if (!t) continue;
    succeeded ??= subscriptionSuccesses(facts, clocks);
    tenants ??= namedTenants(facts);
    // With two or more tenants named, another tenant's success says nothing of this one's failure.
    const tenant = tenants.size > 1 ? namedTenant(f) : undefined;
    const later = (key: string) => succeeded!.get(key)?.some((s) => s.clock === t.clock && s.ms > t.ms && (tenant === undefined || s.tenant === tenant));
    if (later('subscribed') || (f.name === 'securemail.apns.failed_operation' && later(`step:${String(f.value)}`))) dropped.add(f);
  }
}

/** The tenant a Secure Mail step names, unless it names none or masks it. */
function namedTenant(f: Fact): string | undefined {
  const t = f.attrs?.tenant?.trim().toLowerCase();
  return t && !MASKED.test(t) ? t : undefined;
}

/** The tenants the events file's steps name in the clear. */
function namedTenants(facts: readonly Fact[]): Set<string> {
  const out = new Set<string>();
  for (const f of facts) {
    if (f.name !== 'securemail.apns.failed_operation' && f.name !== 'securemail.apns.succeeded_operation') continue;
    const t = namedTenant(f);
    if (t) out.add(t);
  }
  return out;
}

/**
 * What Secure Mail's app log reports of a device setting, each with what a later line reporting the opposite
 * makes history: the latest word is what holds now (the user switched Background App Refresh on, left Low
 * Power Mode, or a build that registers for pushes was installed). A device token received makes an earlier
 * failure to register history, not the other way round: the token stays the app's until it registers again.
 */
const STATE_OPPOSITES: Record<string, readonly string[]> = {
  'securemail.log.background_refresh_denied': ['securemail.log.background_refresh_available'],
  'securemail.log.background_refresh_available': ['securemail.log.background_refresh_denied'],
  'securemail.log.low_power_on': ['securemail.log.low_power_off'],
  'securemail.log.low_power_off': ['securemail.log.low_power_on'],
  'securemail.log.missing_entitlement': ['securemail.log.device_token_received'],
  'securemail.log.no_device_token': ['securemail.log.device_token_received'],
};

function statesSuperseded<F extends Fact>(facts: readonly F[], dropped: Set<F>): void {
  let latest: Map<string, Timed[]> | undefined;
  for (const f of facts) {
    const opposites = STATE_OPPOSITES[f.name];
    if (!opposites) continue;
    const t = timeOf(f);
    if (!t) continue;
    if (!latest) {
      latest = new Map();
      for (const o of facts) {
        const ot = o.name.startsWith('securemail.log.') ? timeOf(o) : undefined;
        if (ot) latest.get(o.name)?.push(ot) ?? latest.set(o.name, [ot]);
      }
    }
    if (opposites.some((name) => latest!.get(name)?.some((o) => o.clock === t.clock && o.ms > t.ms))) dropped.add(f);
  }
}

/** Successes by step ("step:<operation>") and of a whole subscription ("subscribed"), with their times and tenant. */
function subscriptionSuccesses(facts: readonly Fact[], clocks?: ReadonlyMap<string, string>): Map<string, (Timed & { tenant?: string })[]> {
  const out = new Map<string, (Timed & { tenant?: string })[]>();
  const add = (key: string, t: Timed & { tenant?: string }) => out.get(key)?.push(t) ?? out.set(key, [t]);
  for (const s of facts) {
    const at = s.name === 'securemail.apns.succeeded_operation' || s.name === 'securemail.log.subscription_succeeded' ? timeOf(s, clocks) : undefined;
    if (!at) continue;
    const t = { ...at, tenant: namedTenant(s) };
    if (s.name === 'securemail.log.subscription_succeeded' || FINAL_STEPS.has(String(s.value))) add('subscribed', t);
    if (s.name !== 'securemail.apns.succeeded_operation') continue;
    add(`step:${String(s.value)}`, t);
    for (const before of STEP_ORDER.slice(0, Math.max(0, STEP_ORDER.indexOf(String(s.value))))) add(`step:${before}`, t);
  }
  return out;
}

const norm = (v: Fact['value']) => String(v).trim().toUpperCase();

/**
 * What the device holds, read from a sysdiagnose, and what its TokenUpdate carries of the same: the token
 * (the sysdiagnose keeps only its SHA-256), the PushMagic and the topic.
 */
const SNAPSHOT: Record<string, { sent: string; as: (v: string) => string }> = {
  'device.push_token_hash': { sent: 'server.push_token', as: (v) => tokenHash(v) },
  'device.push_magic': { sent: 'server.push_magic', as: (v) => v.trim().toUpperCase() },
  'device.topic': { sent: 'server.enrolled_topic', as: (v) => v.trim() },
};

function tokenHash(token: string): string {
  const t = token.replace(/[\s<>]/g, '');
  const bytes = /^[0-9a-f]+$/i.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  return createHash('sha256').update(bytes).digest('hex');
}

const MASKED = /[*…]|X{4,}|redacted|private|\.\.\./i;
const utcMs = (f: Fact) => (f.at && f.attrs?.zone !== 'unknown' && !f.fold ? Date.parse(f.at) : Number.NaN);
const lineKey = (f: Fact) => (f.source.kind === 'file' ? `${f.source.input}\u0000${f.source.member ?? ''}\u0000${f.source.line ?? 0}` : undefined);

/**
 * A sysdiagnose shows what the device held when it was taken. A TokenUpdate the case's device sent after
 * that (it re-enrolled, or was restored from a backup) is what it holds now: a different PushMagic, token or
 * topic in the sysdiagnose is history, and no longer says the server's (taken from that TokenUpdate) is
 * wrong. Only times with a zone are compared; a TokenUpdate from before the sysdiagnose supersedes nothing.
 */
export function withoutSupersededSnapshots<F extends Fact>(facts: readonly F[], ids: ReadonlySet<string>): readonly F[] {
  const taken = new Map<string, number>();
  for (const f of facts) if (f.name === 'device.sysdiagnose_at' && f.source.kind === 'file' && Number.isFinite(utcMs(f))) taken.set(f.source.input, utcMs(f));
  if (!taken.size) return facts;
  // The times of the case device's TokenUpdates, by the line that holds them.
  const updates = new Map<string, number>();
  for (const f of facts) {
    const key = f.name === 'mdm.checkin.token_update' ? lineKey(f) : undefined;
    const udid = f.attrs?.udid?.trim().toUpperCase();
    if (key && udid && ids.has(udid) && Number.isFinite(utcMs(f))) updates.set(key, utcMs(f));
  }
  if (!updates.size) return facts;
  const sent = new Map<string, { ms: number; value: string }[]>();
  for (const f of facts) {
    const key = lineKey(f);
    const ms = key === undefined ? undefined : updates.get(key);
    if (ms === undefined) continue;
    // A masked or cut value is never compared (it would differ from anything).
    if (MASKED.test(String(f.value))) continue;
    for (const [name, s] of Object.entries(SNAPSHOT))
      if (s.sent === f.name) sent.get(name)?.push({ ms, value: s.as(String(f.value)) }) ?? sent.set(name, [{ ms, value: s.as(String(f.value)) }]);
  }
  const stale = (f: F) => {
    const t = f.source.kind === 'file' && !f.at ? taken.get(f.source.input) : undefined;
    const held = String(f.value).trim().toLowerCase();
    return t !== undefined && (sent.get(f.name) ?? []).some((u) => u.ms > t && u.value.toLowerCase() !== held);
  };
  const kept = facts.filter((f) => !stale(f));
  return kept.length === facts.length ? facts : kept;
}

/**
 * A sysdiagnose shows what the device held when it was taken. Taken before the failure under diagnosis (the
 * latest failed push of the case, or when failures began if later), its "the device holds an MDM enrollment"
 * says nothing of the device when the failing pushes went out: it may have left MDM or been erased in between.
 * Only times with a zone are compared.
 */
export function withoutEnrollmentBeforeFailure<F extends Fact>(facts: readonly F[]): readonly F[] {
  let failure = Number.NaN;
  for (const f of facts) {
    if (f.name !== 'case.failed_push_at' && f.name !== 'case.failures_began') continue;
    const ms = utcMs(f.at ? f : { ...f, at: String(f.value) });
    if (Number.isFinite(ms) && !(ms <= failure)) failure = ms;
  }
  if (!Number.isFinite(failure)) return facts;
  const taken = new Map<string, number>();
  for (const f of facts) if (f.name === 'device.sysdiagnose_at' && f.source.kind === 'file' && Number.isFinite(utcMs(f))) taken.set(f.source.input, utcMs(f));
  const before = (f: F) => {
    const t = f.name === 'device.mdm_enrolled' && f.value === true && f.source.kind === 'file' ? taken.get(f.source.input) : undefined;
    return t !== undefined && t < failure;
  };
  const kept = facts.filter((f) => !before(f));
  return kept.length === facts.length ? facts : kept;
}
