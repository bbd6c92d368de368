import type { Fact } from './schema.js';
import { withoutHashGivenAsToken } from './hashAsToken.js';
import { hiddenMayBeSeveral, maskedTokenFits, tokenKey } from './maskedToken.js';
import { pushedTo, withoutEnrollmentBeforeFailure, withoutSuperseded, withoutSupersededSnapshots } from './supersede.js';

/** APNs's answers to other device tokens than the case's, folded per answer for the report (facts/otherTokens.ts). */
export const OTHER_TOKENS = 'apns.response_other_tokens';

/**
 * Push details a check-in or a server log gave for one device, and what it answered. Once the case's device is known, another
 * device's are not the case's: the server pushes that device with its own PushMagic, token and topic.
 */
const PER_DEVICE: ReadonlySet<string> = new Set([
  'server.push_magic',
  'server.push_token',
  'server.push_token_sha256',
  'server.enrolled_topic',
  'mdm.checkin.token_update',
  // What APNs answered a push to one device (410 Unregistered…) says nothing of another's token.
  'mdm.apns_response',
  // Nor does the server holding no push details for one device (MicroMDM: PushInfo not found) of another's,
  // nor one device's CheckOut (it left MDM) of whether another did.
  'server.push_info_missing',
  'mdm.checkin.checkout',
  // Nor does the server's record of when one device last checked in say whether another ever enrolled.
  'server.device_last_checkin',
  // What one device answered its commands, and what followed on its connections, is that device's alone.
  'mdm.command.status',
  'notnow.command',
  'notnow.channel',
  'notnow.followed_on_same_connection',
  'notnow.resent_after_poll',
  'notnow.last_status_per_device',
]);

/** What one device holds or did that says nothing of another: push details, and what followed its NotNows. */
const DETAILS = [
  'server.push_magic',
  'server.push_token',
  'server.push_token_sha256',
  'server.enrolled_topic',
  'mdm.checkin.token_update',
  'notnow.followed_on_same_connection',
  'notnow.resent_after_poll',
];

/** What shows one device enrolled (it answered commands, the server records its check-ins), read by "the device enrolled". */
const ENROLLED_SIGNS: ReadonlySet<string> = new Set(['mdm.command.status', 'server.device_last_checkin']);

/** What says a NotNow was answered, and to what: the case's only if the case's device is among those that answered one. */
const NOTNOW_SEEN = ['notnow.seen', 'notnow.command', 'notnow.channel'];

/**
 * Several devices and none named yet (case.device_unresolved lists them, `A, B and 2 more`): whether a set of
 * device ids (upper case) names every one of them, so that what holds for each holds for the case's device.
 */
export function coversEveryDevice(devices: string): (named: ReadonlySet<string>) => boolean {
  const more = /^(.*) and (\d+) more$/.exec(devices);
  const listed = (more ? more[1] : devices).split(', ').map((d) => d.trim().toUpperCase());
  return (named) => listed.every((d) => named.has(d)) && (!more || named.size >= listed.length + Number(more[2]));
}

/**
 * Several devices and none named yet (the case asks which): what one of them holds or was answered is not yet
 * the case's. A push detail naming a device (its check-in's topic, PushMagic, token), or what followed its
 * NotNow, speaks for the case only when every device has the same; APNs failing a push only when every device got a failed answer. An accepted
 * push (200) speaks for the server (its certificate works), so it always stays.
 */
function withoutOneOfSeveral<F extends Fact>(facts: readonly F[], devices: string): readonly F[] {
  const covers = coversEveryDevice(devices);
  const deviceOf = (f: Fact) => (f.attrs?.udid ?? f.attrs?.device_id)?.trim().toUpperCase();

  // A failure of one device's pushes (APNs refusing it, the server holding no push details for it, its CheckOut)
  // speaks for the case only when every device had one of the same kind.
  const failures = [
    (f: Fact) => f.name === 'mdm.apns_response' && String(f.value) !== '200' && !!deviceOf(f),
    (f: Fact) => f.name === 'server.push_info_missing' && !!deviceOf(f),
    (f: Fact) => f.name === 'mdm.checkin.checkout' && !!deviceOf(f),
  ].filter((kind) => {
    const failedFor = new Set<string>();
    for (const f of facts) if (kind(f)) for (const k of ['udid', 'device_id']) if (f.attrs?.[k]) failedFor.add(f.attrs[k].trim().toUpperCase());
    return !covers(failedFor);
  });
  const failed = (f: Fact) => failures.some((kind) => kind(f));
  const dropFailed = failures.length > 0;

  // A detail stays when every device gave it, all alike.
  const unshared = new Set<string>();
  for (const name of DETAILS) {
    const values = new Map<string, Set<string>>();
    for (const f of facts) {
      const d = f.name === name ? deviceOf(f) : undefined;
      if (!d) continue;
      const v = values.get(d) ?? new Set<string>();
      v.add(String(f.value).toUpperCase());
      values.set(d, v);
    }
    if (!values.size) continue;
    const all = new Set([...values.values()].flatMap((v) => [...v]));
    if (!covers(new Set(values.keys())) || all.size > 1) unshared.add(name);
  }
  // A NotNow speaks for the case only when every device answered one (a NotNow naming no device always does).
  const notNowFor = new Set<string>();
  let unnamedNotNow = false;
  for (const f of facts)
    if (f.name === 'mdm.command.status' && f.value === 'NotNow') {
      const d = deviceOf(f);
      if (d) notNowFor.add(d);
      else unnamedNotNow = true;
    }
  if (notNowFor.size && !unnamedNotNow && !covers(notNowFor)) for (const name of NOTNOW_SEEN) unshared.add(name);
  // One device answering commands or checking in shows that device enrolled, not the case's: such a sign speaks
  // for the case only when every device gave one.
  const signed = new Set<string>();
  for (const f of facts) if (ENROLLED_SIGNS.has(f.name) && deviceOf(f)) signed.add(deviceOf(f)!);
  const dropSigns = signed.size > 0 && !covers(signed);
  const sign = (f: Fact) => ENROLLED_SIGNS.has(f.name) && f.value !== 'NotNow' && !!deviceOf(f);

  if (!dropFailed && !unshared.size && !dropSigns) return facts;
  return facts.filter((f) => !((dropFailed && failed(f)) || (dropSigns && sign(f)) || (unshared.has(f.name) && (deviceOf(f) || NOTNOW_SEEN.includes(f.name)))));
}

/**
 * The facts that rules and notes read for the case: every fact, less a device's LastPushTokenHash given as the
 * server's token (facts/hashAsToken.ts), less a sysdiagnose's enrollment from before the failure, less a server value a newer one of the same
 * device superseded (facts/supersede.ts), less what a sysdiagnose showed the case's device holding before a
 * later TokenUpdate of it, and less the push details another device's check-in or log gave,
 * once the case names its device. A value that names no device stays.
 */
export function caseOwnFacts<F extends Fact>(shown: readonly F[]): readonly F[] {
  // Answers folded as the rules set them aside (facts/otherTokens.ts) are never the case's.
  const every = shown.some((f) => f.name === OTHER_TOKENS) ? shown.filter((f) => f.name !== OTHER_TOKENS) : shown;
  const all = withoutEnrollmentBeforeFailure(withoutHashGivenAsToken(every));
  const subjects = all.filter((f) => f.name === 'case.device');
  const s = subjects.length === 1 ? subjects[0] : undefined;
  const ids = s ? new Set([String(s.value), ...Object.values(s.attrs ?? {})].map((v) => v.trim().toUpperCase()).filter(Boolean)) : undefined;
  const facts = ownTokens(ids ? withoutSupersededSnapshots(withoutSuperseded(all), ids) : withoutSuperseded(all), ids);
  if (!ids) {
    const unresolved = facts.find((f) => f.name === 'case.device_unresolved' && f.attrs?.by !== 'token');
    return unresolved ? withoutOneOfSeveral(facts, String(unresolved.value)) : facts;
  }
  return ownNotNow(
    facts.filter((f) => (!PER_DEVICE.has(f.name) || isDevicesOwn(f, ids)) && !anotherDevicesTopic(f, ids)),
    facts,
    ids,
  );
}

/**
 * Whether the case's device answered NotNow: the log-wide "a NotNow was seen" is another device's once every
 * NotNow read names a device, none names the case's, and the case's device answered other commands in the
 * evidence; when it answered none there, whether it answered NotNow is not known. A NotNow naming no device (a
 * single plist) still counts.
 */
function ownNotNow<F extends Fact>(own: readonly F[], all: readonly F[], ids: ReadonlySet<string>): readonly F[] {
  const seen = own.find((f) => f.name === 'notnow.seen' && f.value === true);
  if (!seen) return own;
  const others = new Set<string>();
  let answered = false;
  for (const f of all) {
    if (f.name !== 'mdm.command.status') continue;
    const udid = f.attrs?.udid?.trim().toUpperCase();
    if (f.value !== 'NotNow') {
      answered ||= !!udid && ids.has(udid);
      continue;
    }
    if (!udid || ids.has(udid)) return own;
    others.add(f.attrs!.udid!.trim());
  }
  if (!others.size) return own;
  // Only a device the log shows answering other statuses is known to have answered no NotNow there; of a
  // device it never mentions, the NotNows (another device's) say nothing either way.
  if (!answered) return own.filter((f) => f !== seen);
  const list = [...others].sort();
  const named = list.length > 3 ? `${list.slice(0, 3).join(', ')} and ${list.length - 3} more` : list.join(', ');
  const mine: Fact = {
    ...seen,
    value: false,
    source: {
      kind: 'derived',
      how: `every NotNow read was another device's (${named}), none the case's device's`,
      from: ['notnow.seen', 'mdm.command.status'],
    },
  };
  return own.map((f) => (f === seen ? (mine as F) : f));
}

/**
 * A topic the server's log names for pushes to other devices only (NanoMDM tags its topic line with the devices
 * of the push it serves): a server with a push certificate per group of devices pushes the case's device on its
 * own topic, so another group's topic neither shows nor rules out what the case's device was pushed on.
 */
function anotherDevicesTopic(f: Fact, ids: ReadonlySet<string>): boolean {
  if (f.name !== 'server.topic') return false;
  const to = pushedTo(f);
  return to.length > 0 && !to.some((d) => ids.has(d));
}

/**
 * What a provider log says of one push beside its answer, kept with the device token the push went to; and the
 * device's log receiving the app's push right after APNs accepted one to a token (a receipt after another
 * token's push does not say the case's token reached the device).
 */
const PUSH_DETAILS_BY_TOKEN: ReadonlySet<string> = new Set(['apns.topic', 'apns.topic_bundle', 'apns.push_reached_device']);

/** APNs reasons about one device token, not about the provider's credentials, topic or request. */
const TOKEN_REASONS: ReadonlySet<string> = new Set(['BadDeviceToken', 'Unregistered', 'ExpiredToken', 'DeviceTokenNotForTopic']);

/** APNs reasons refusing the provider's token authentication (rules/apns_provider.yml, token_reasons). */
const CREDENTIAL_REASONS: ReadonlySet<string> = new Set([
  'MissingProviderToken',
  'InvalidProviderToken',
  'ExpiredProviderToken',
  'TooManyProviderTokenUpdates',
  'UnrelatedKeyIdInToken',
  'BadEnvironmentKeyIdInToken',
]);

/**
 * An app provider's answers for several device tokens: once the case names its device's token, the others'
 * answers are not the case's; until then APNs refusing one token speaks for the case only when it refused
 * every token. An accepted push stays (it speaks for the provider's certificate, key and topic), unless another
 * token's own refusal was set aside: then which token is the case's decides, and the case asks.
 */
function ownTokens<F extends Fact>(every: readonly F[], ids: ReadonlySet<string> | undefined): readonly F[] {
  // The topic another token's push went out on is that app's, not the case's, once the case names its token.
  const detailToken = (f: Fact) => (PUSH_DETAILS_BY_TOKEN.has(f.name) ? f.attrs?.token?.toUpperCase() : undefined);
  const namedToken = !!ids && [...ids].some((id) => /^[0-9A-F]{64}$/.test(id));
  // An answer whose line masked the token speaks for the case only if its two ends can be the case's token's.
  const maskedOther = (f: Fact) => {
    const masked = f.name === 'apns.response' ? f.attrs?.token_masked : undefined;
    return !!masked && ![...ids!].some((id) => /^[0-9A-F]{64}$/.test(id) && maskedTokenFits(masked, id));
  };
  const facts = namedToken ? every.filter((f) => (!detailToken(f) || ids!.has(detailToken(f)!)) && !maskedOther(f)) : every;
  // A masked token is the whole token (of the log, or the case's) its ends fit, else a device of its own.
  const whole = [...(ids ?? []), ...facts.flatMap((f) => (f.name === 'apns.response' && f.attrs?.token ? [f.attrs.token] : []))];
  // Answers whose token the log hid whole are one device's only while nothing says they may be several.
  const several = hiddenMayBeSeveral(every.filter((f) => f.name === 'apns.response'));
  const tokenOf = (f: Fact) => (f.name === 'apns.response' ? tokenKey(f.attrs, whole, several) : undefined);
  const tokens = new Set<string>();
  for (const f of facts) {
    const t = tokenOf(f);
    if (t) tokens.add(t);
  }
  const refused = (f: Fact) => !!tokenOf(f) && String(f.value) !== '200' && f.attrs?.status !== '200';
  const kindOf = (f: Fact) => (TOKEN_REASONS.has(String(f.value)) ? String(f.value) : 'provider');
  // The case named its device by a push token the log never pushed to: the log's tokens are another
  // device's (or an old token of this one). Only what APNs said of the provider itself speaks for the case.
  if (ids && tokens.size && ![...tokens].some((t) => ids.has(t)) && [...ids].some((id) => /^[0-9A-F]{64}$/.test(id)))
    return facts.filter((f) => !tokenOf(f) || (refused(f) && kindOf(f) === 'provider'));
  if (tokens.size < 2) return facts;
  if (ids && [...tokens].some((t) => ids.has(t))) return facts.filter((f) => !tokenOf(f) || ids.has(tokenOf(f)!));
  // A refusal speaks for the case when every token was refused: then it is the provider's fault (its JWT, its
  // topic, its host), however each answer words it. A reason about the token itself (BadDeviceToken,
  // Unregistered…) must be the same for every token: BadDeviceToken for one token and Unregistered for another
  // are two devices' stories.
  const byKind = new Map<string, Set<string>>();
  for (const f of facts) if (refused(f)) byKind.set(kindOf(f), (byKind.get(kindOf(f)) ?? new Set()).add(tokenOf(f)!));
  const everyRefused = new Set(facts.filter(refused).map((f) => tokenOf(f)!)).size === tokens.size;
  // …but not when the tokens are hidden: every device the log shows refused alike says nothing of a device it may not show.
  const speaksForCase = (f: Fact) =>
    everyRefused && (kindOf(f) === 'provider' || (byKind.get(kindOf(f))?.size === tokens.size && !(several && f.attrs?.token_hidden)));
  // Likewise an accepted push speaks for the case only while no token's own refusal is set aside: one token's
  // 200 beside another's BadDeviceToken says nothing of the case's token (its environment, its app, its topic).
  // A refusal of the provider's own credentials is set aside too: a token whose newest answer refused the JWT may be
  // the case's (its push failed and was never sent again), whatever the other tokens got after the JWT was renewed.
  const setAside = facts.some((f) => refused(f) && !speaksForCase(f) && (kindOf(f) !== 'provider' || CREDENTIAL_REASONS.has(String(f.value))));
  // The device's log receiving the app's push right after one token's push says that token reached it, not
  // that the case's did (another token may be an old one of the same device): it speaks for the case only
  // when a receipt followed a push to every token.
  const reached = new Set(facts.flatMap((f) => (f.name === 'apns.push_reached_device' && f.attrs?.token ? [f.attrs.token.toUpperCase()] : [])));
  const everyReached = [...tokens].every((t) => reached.has(t));
  const otherReceipt = (f: Fact) => f.name === 'apns.push_reached_device' && !!f.attrs?.token && !everyReached;
  // Tokens pushed on different topics, none named: the case's topic is its token's (another app, or another
  // copy of it, shares the log), so neither one token's topic nor its accepted push speaks for the case's topic.
  const topicsDiffer = !namedToken && new Set(facts.flatMap((f) => (f.name === 'apns.topic' && f.attrs?.token ? [String(f.value)] : []))).size > 1;
  const otherTopic = (f: Fact) => topicsDiffer && !!detailToken(f) && f.name !== 'apns.push_reached_device';
  return facts.filter((f) => (refused(f) ? speaksForCase(f) : !((setAside || topicsDiffer) && tokenOf(f)) && !otherReceipt(f) && !otherTopic(f)));
}

/** Whether a push detail belongs to the device known by `ids` (upper case): it names that device, or none. */
export function isDevicesOwn(f: Fact, ids: ReadonlySet<string>): boolean {
  // A line that names its device only by the server's own id (device_id=A1) names it all the same.
  const named = f.attrs?.udid ?? f.attrs?.device_id;
  return !named || ids.has(named.trim().toUpperCase()) || (!!f.attrs?.device_id && ids.has(f.attrs.device_id.trim().toUpperCase()));
}
