import { createHash } from 'node:crypto';
import { hiddenMayBeSeveral, tokenKey } from '../maskedToken.js';
import type { Fact } from '../schema.js';
import { comparable, momentOf, type Moment } from '../time.js';
import { appPushReceived } from './appDelivery.js';
import { answeredCaseDevice } from './caseAnswer.js';
import type { Deriver } from './types.js';

type Index = Parameters<Deriver>[0];
const derived = (how: string, from: string[]) => ({ kind: 'derived' as const, how, from });

/** TN2265 Listing 1: macOS push logs name an app by the SHA-1 of its bundle id. */
const bundleIdHash: Deriver = (index) => {
  const ids = new Set<string>();
  for (const f of index.get('app.bundle_id') ?? []) ids.add(String(f.value));
  for (const f of index.get('cert.topic') ?? []) ids.add(String(f.value));
  return [...ids].sort().map((id) => ({
    name: 'apns.bundle_id_sha1',
    value: createHash('sha1').update(id, 'utf8').digest('hex'),
    source: derived(`SHA-1 of the bundle id ${id} (echo -n "${id}" | openssl dgst -sha1)`, ['app.bundle_id', 'cert.topic']),
    attrs: { bundle_id: id },
  }));
};

/**
 * The time "expired" is judged against: case.now when the CLI or a person
 * set it; otherwise the latest time the evidence itself carries. Against
 * evidence times an expiry can be proved but never disproved (the present is
 * later still), so `provable` says whether a "not expired" may be stated.
 */
function referenceTime(index: Index): { at: string; name: string; provable: boolean } | undefined {
  const now = (index.get('case.now') ?? [])
    .map((f) => String(f.value))
    .sort()
    .at(-1);
  if (now) return { at: now, name: 'case.now', provable: true };
  let best: { at: string; name: string } | undefined;
  for (const [name, facts] of index) {
    if (name.startsWith('cert.') || name.startsWith('provisioning.')) continue;
    for (const f of facts) {
      // A folded fact (statuses stay folded for the derivations) stands for its latest time.
      const t = (f.fold?.lastAt ?? f.at) || (name === 'case.failures_began' || name === 'device.sysdiagnose_at' ? String(f.value) : undefined);
      if (t && !Number.isNaN(Date.parse(t)) && (!best || t > best.at)) best = { at: new Date(t).toISOString(), name };
    }
  }
  return best ? { ...best, provable: false } : undefined;
}

function expiry(index: Index, from: string, to: string, what: string, keep: (f: Fact) => Record<string, string>): Fact[] {
  // The reference time reads every timed fact: only worth it when there is something to judge.
  if (!index.get(from)?.length) return [];
  const ref = referenceTime(index);
  if (!ref) return [];
  const out: Fact[] = [];
  for (const f of index.get(from) ?? []) {
    const end = new Date(String(f.value)).toISOString();
    const expired = end < ref.at;
    if (!expired && !ref.provable) continue;
    out.push({
      name: to,
      value: expired,
      source: derived(`${what} valid until ${end}, compared with ${ref.name} ${ref.at}`, [from, ref.name]),
      attrs: { ...keep(f), reference: ref.name, reference_time: ref.at, not_after: end },
    });
  }
  return out;
}

const certificateExpiry: Deriver = (index) =>
  expiry(index, 'cert.not_after', 'cert.expired', 'push certificate', (f) => ({
    kind: f.attrs?.kind ?? 'app',
    ...(f.attrs?.topic ? { topic: f.attrs.topic } : {}),
  }));

const profileExpiry: Deriver = (index) => expiry(index, 'provisioning.expires', 'provisioning.expired', 'provisioning profile', () => ({}));

/** Today's limits: 4096 bytes, 5120 for VoIP (TN2265's 256 bytes is the 2011 limit). */
const payloadLimit: Deriver = (index) => {
  const types = (index.get('apns.push_type') ?? []).map((f) => String(f.value));
  return (index.get('apns.payload_bytes') ?? []).map((f) => {
    const voip = f.attrs?.push_type === 'voip' || types.includes('voip');
    const limit = voip ? 5120 : 4096;
    return {
      name: 'apns.payload_over_limit',
      value: Number(f.value) > limit,
      source: derived(`${f.value} bytes against the ${voip ? 'VoIP ' : ''}limit of ${limit}`, ['apns.payload_bytes', 'apns.push_type']),
      attrs: { limit: String(limit), bytes: String(f.value) },
    };
  });
};

const ENV = (v: unknown) => {
  const t = String(v).toLowerCase();
  return t === 'sandbox' || t === 'development' ? 'development' : t === 'production' ? 'production' : undefined;
};

/**
 * Which environment the device token comes from. An answer about the build
 * that produced the failing token outranks what the files say, since a
 * profile may belong to another build.
 */
const appEnvironment: Deriver = (index) => {
  const answered = index.get('app.token_environment') ?? [];
  const sources = answered.length
    ? ['app.token_environment']
    : ['app.aps_environment', 'provisioning.aps_environment', 'device.log.push_environment', 'apns.console.token_environment'];
  const envs = new Map<string, string[]>();
  for (const name of sources)
    for (const f of index.get(name) ?? []) {
      const e = ENV(f.value);
      if (e) envs.set(e, [...new Set([...(envs.get(e) ?? []), name])]);
    }
  return [...envs]
    .sort()
    .map(([env, from]) => ({ name: 'apns.app_environment', value: env, source: derived(`environment of the app's token, from ${from.join(', ')}`, from) }));
};

/** Which environment the provider sends to: the endpoint host, or a host on the answer's line. */
const providerEnvironment: Deriver = (index) => {
  const envs = new Map<string, string[]>();
  const add = (e: string | undefined, from: string) => {
    if (e) envs.set(e, [...new Set([...(envs.get(e) ?? []), from])]);
  };
  for (const f of index.get('apns.endpoint') ?? []) add(ENV(f.value), 'apns.endpoint');
  for (const f of index.get('apns.response') ?? []) add(ENV(f.attrs?.environment), 'apns.response');
  return [...envs].sort().map(([env, from]) => ({
    name: 'apns.provider_environment',
    value: env,
    source: derived(`environment of the APNs host the provider uses, from ${from.join(', ')}`, from),
  }));
};

/** Push types are topics with a suffix; the bundle id is what the token belongs to. */
const TOPIC_SUFFIX = /\.(voip|complication|pushkit\.fileprovider|push-type\.[a-z]+|location-query|voip-ptt)$/;
const topicBundle: Deriver = (index) => {
  // One per topic and the device token its push went to (a provider log holds several apps' pushes), so that
  // once the case names its token, another app's topic is not read as the case's.
  const seen = new Map<string, { topic: string; token?: string }>();
  for (const f of index.get('apns.topic') ?? []) {
    const topic = String(f.value);
    const token = f.attrs?.token;
    seen.set(`${topic}\u0000${token ?? ''}`, { topic, ...(token ? { token } : {}) });
  }
  return [...seen]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([, { topic, token }]) => ({
      name: 'apns.topic_bundle',
      value: topic.replace(TOPIC_SUFFIX, ''),
      source: derived(`apns-topic ${topic} without its push-type suffix`, ['apns.topic']),
      ...(token ? { attrs: { token } } : {}),
    }));
};

/**
 * Pushes APNs accepted close together for one device: APNs stores one notification per app per device
 * (TN2265, "Some Notifications Received, but Not All"), so only pushes to the same device token replace
 * each other. A provider's log holds every copy of the app: pushes to two tokens a second apart are two
 * devices' notifications, each stored on its own. The gap is the case's token's (q.case.device, or the
 * server's token); with several tokens and none named, it speaks for the case only when every token the
 * log answered had pushes that close, and then it is the widest of their shortest gaps. Two times only
 * count when they share a clock (one log, or both with a zone).
 */
const pushGaps: Deriver = (index) => {
  const answers = index.get('apns.response') ?? [];
  if (answers.length < 2) return [];
  const named = caseToken(index);
  // A masked token is the whole token (the log's or the case's) its ends fit, else a device of its own.
  const whole = [...(named ? [named] : []), ...answers.flatMap((f) => (f.attrs?.token ? [f.attrs.token] : []))];
  const several = hiddenMayBeSeveral(answers);
  // Answers that name no token at all are one device's only when no answer of the log names one.
  const anyNamed = answers.some((f) => f.attrs?.token || f.attrs?.token_masked || f.attrs?.token_hidden);
  const keyOf = (f: Fact) => tokenKey(f.attrs, whole, several) ?? (anyNamed ? undefined : 'UNNAMED');
  const devices = new Set<string>();
  const accepted = new Map<string, Moment[]>();
  // Hidden tokens of a log that may hold several devices, told apart by nothing but APNs's answer: not one device.
  let untold = false;
  const pushIds = new Set<string>();
  for (const f of answers) {
    const key = keyOf(f);
    if (!key) continue;
    if (key.startsWith('HIDDEN answered')) {
      untold = true;
      continue;
    }
    devices.add(key);
    // One push logged twice (sent, then answered) under its apns-id is one notification, not two.
    const id = f.attrs?.apns_id;
    if (id && pushIds.has(id)) continue;
    if (id) pushIds.add(id);
    const m = f.attrs?.status === '200' ? momentOf(f) : undefined;
    if (!m) continue;
    const times = accepted.get(key);
    if (times) times.push(m);
    else accepted.set(key, [m]);
  }
  const shortest = new Map<string, { ms: number; count: number }>();
  for (const [key, times] of accepted) {
    times.sort((a, b) => a.ms - b.ms || a.line - b.line);
    let min = Infinity;
    for (let i = 1; i < times.length; i++) if (comparable(times[i - 1], times[i])) min = Math.min(min, times[i].ms - times[i - 1].ms);
    if (min < Infinity) shortest.set(key, { ms: min, count: times.length });
  }
  const seconds = (ms: number) => Math.round(ms) / 1000;
  const one = (key: string, how: string) => {
    const s = shortest.get(key);
    if (!s) return [];
    const token: Record<string, string> = /^[0-9A-F]{64}$/.test(key) ? { token: key.toLowerCase() } : {};
    return [
      { name: 'apns.min_push_gap_seconds', value: seconds(s.ms), source: derived(`${how}, of ${s.count} accepted pushes`, ['apns.response']), attrs: token },
    ];
  };
  if (named && devices.has(named)) return one(named, "shortest gap between accepted pushes to the case's device token");
  // The case names a token the log never pushed to: the log's pushes are other devices'.
  if (named || untold) return [];
  if (devices.size === 1) return one([...devices][0], 'shortest gap between accepted pushes to the one device token of the log');
  if (![...devices].every((k) => shortest.has(k))) return [];
  let widest = 0;
  for (const s of shortest.values()) widest = Math.max(widest, s.ms);
  return [
    {
      name: 'apns.min_push_gap_seconds',
      value: seconds(widest),
      source: derived(
        `every one of the ${devices.size} device tokens of the log got accepted pushes at most this far apart (the widest of their shortest gaps)`,
        ['apns.response'],
      ),
      attrs: { devices: String(devices.size) },
    },
  ];
};

/**
 * Pushes APNs accepted for one device token under one apns-collapse-id: the device shows notifications that share
 * a collapse id as one, the latest replacing the earlier (Apple, "Sending notification requests to APNs": the
 * apns-collapse-id header). Only the case's token counts (q.case.device, or the log's only token): another
 * device's pushes replace nothing on this one. One push logged twice under its apns-id counts once.
 */
const collapseRepeats: Deriver = (index) => {
  const answers = (index.get('apns.response') ?? []).filter((f) => f.attrs?.collapse_id);
  if (answers.length < 2) return [];
  const all = index.get('apns.response') ?? [];
  const named = caseToken(index);
  const whole = [...(named ? [named] : []), ...all.flatMap((f) => (f.attrs?.token ? [f.attrs.token] : []))];
  const several = hiddenMayBeSeveral(all);
  const anyNamed = all.some((f) => f.attrs?.token || f.attrs?.token_masked || f.attrs?.token_hidden);
  const keyOf = (f: Fact) => tokenKey(f.attrs, whole, several) ?? (anyNamed ? undefined : 'UNNAMED');
  const devices = new Set(all.map(keyOf).filter((k): k is string => !!k));
  const key = named ?? (devices.size === 1 ? [...devices][0] : undefined);
  if (!key || key.startsWith('HIDDEN answered')) return [];
  const byId = new Map<string, Set<string>>();
  for (const f of answers) {
    if (f.attrs?.status !== '200' || keyOf(f) !== key) continue;
    const id = f.attrs.collapse_id!;
    const pushes = byId.get(id) ?? new Set<string>();
    pushes.add(f.attrs.apns_id ?? `${f.at ?? ''}\u0000${f.source.kind === 'file' ? `${f.source.input}:${f.source.line ?? ''}` : pushes.size}`);
    byId.set(id, pushes);
  }
  const token: Record<string, string> = /^[0-9A-F]{64}$/.test(key) ? { token: key.toLowerCase() } : {};
  return [...byId]
    .filter(([, pushes]) => pushes.size > 1)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, pushes]) => ({
      name: 'apns.collapse_id_repeated',
      value: `${pushes.size} accepted pushes with apns-collapse-id ${id}`,
      source: derived(`pushes APNs accepted for the case's device token under one apns-collapse-id`, ['apns.response']),
      attrs: { collapse_id: id, pushes: String(pushes.size), ...token },
    }));
};

/** The device token the case is about: a token given as the answer to q.case.device, else the server's one token (upper case). */
export function caseToken(index: Index): string | undefined {
  const answered = answeredCaseDevice(index);
  if (answered) return /^[0-9a-fA-F]{64}$/.test(answered) ? answered.toUpperCase() : undefined;
  const server = new Set((index.get('server.push_token') ?? []).map((f) => String(f.value).trim().toUpperCase()).filter((t) => /^[0-9A-F]{64}$/.test(t)));
  return server.size === 1 ? [...server][0] : undefined;
}

/**
 * APNs refused a push and the log kept its status only (the JSON body cut off or garbled), and someone told
 * the reason it gave (q.apns.refusal_reason): that refusal, with its reason, is an answer the rules read as
 * if the log had shown it whole (a 410 told as Unregistered speaks of the app removed, a 403 told as
 * InvalidProviderToken of the provider's token).
 */
/** The reasons APNs gives for its own passing state or the provider's pace (class "transient", as the log readers mark them). */
const TRANSIENT = new Set(['TooManyRequests', 'IdleTimeout', 'InternalServerError', 'ServiceUnavailable', 'Shutdown']);

/** The status APNs gives each reason with (shared/knowledge/apns-mdm.md, section b). */
const STATUS_OF: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'BadCollapseId',
      'BadDeviceToken',
      'BadExpirationDate',
      'BadMessageId',
      'BadPriority',
      'BadTopic',
      'DeviceTokenNotForTopic',
      'DuplicateHeaders',
      'IdleTimeout',
      'InvalidPushType',
      'MissingDeviceToken',
      'MissingTopic',
      'PayloadEmpty',
      'TopicDisallowed',
    ].map((r) => [r, '400']),
  ),
  ...Object.fromEntries(
    [
      'BadCertificate',
      'BadCertificateEnvironment',
      'ExpiredProviderToken',
      'Forbidden',
      'InvalidProviderToken',
      'MissingProviderToken',
      'UnrelatedKeyIdInToken',
      'BadEnvironmentKeyIdInToken',
    ].map((r) => [r, '403']),
  ),
  BadPath: '404',
  MethodNotAllowed: '405',
  ExpiredToken: '410',
  Unregistered: '410',
  PayloadTooLarge: '413',
  TooManyProviderTokenUpdates: '429',
  TooManyRequests: '429',
  InternalServerError: '500',
  ServiceUnavailable: '503',
  Shutdown: '503',
};

/**
 * The told reason is the reason of the bare refusals whose status APNs gives it with. Beside refusals of another
 * status (a bare 403 and a bare 410, told Unregistered), those others stay unexplained: the reason told is not
 * theirs, and the rules do not read it as clearing what they may be (apns.refusal_unexplained). A reason that fits
 * none of the bare statuses is taken for all of them, as the person said.
 */
const toldRefusal: Deriver = (index) => {
  const told = index.get('apns.refusal_reason') ?? [];
  if (!told.length) return [];
  const all = (index.get('apns.response') ?? []).filter((f) => /^[45]\d\d$/.test(String(f.value)));
  const fits = (f: Fact, t: Fact) => STATUS_OF[String(t.value)] === String(f.value);
  const out: Fact[] = [];
  for (const t of told) {
    if (!all.some((f) => fits(f, t))) continue;
    for (const status of new Set(all.filter((f) => !fits(f, t)).map((f) => String(f.value))))
      out.push({
        name: 'apns.refusal_unexplained',
        value: status,
        source: derived(
          `APNs gives ${String(t.value)} with ${STATUS_OF[String(t.value)]}, not ${status}: the ${status} logged without its reason is still unexplained`,
          ['apns.response', 'apns.refusal_reason'],
        ),
      });
  }
  const bare = (t: Fact) => (all.some((f) => fits(f, t)) ? all.filter((f) => fits(f, t)) : all);
  return out.concat(
    told.flatMap((t) =>
      bare(t).map((f) => ({
        name: 'apns.response',
        value: String(t.value),
        ...(f.at ? { at: f.at } : {}),
        attrs: { ...f.attrs, reason: String(t.value), told: 'answer', ...(TRANSIENT.has(String(t.value)) ? { class: 'transient' } : {}) },
        source: derived(`APNs's ${String(f.value)} refusal, with the reason someone told for it`, ['apns.response', 'apns.refusal_reason']),
      })),
    ),
  );
};

export const apnsDerivers: Deriver[] = [
  toldRefusal,
  bundleIdHash,
  certificateExpiry,
  profileExpiry,
  payloadLimit,
  appEnvironment,
  providerEnvironment,
  topicBundle,
  pushGaps,
  collapseRepeats,
  appPushReceived,
];
