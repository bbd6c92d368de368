import type { Fact } from '../schema.js';
import { isDevicesOwn } from '../caseOwn.js';
import { duration, iso, momentOf, order, shift, type Moment } from '../time.js';
import type { DeviceEvent } from './deviceEvents.js';
import type { PushAnalysis } from './pushAnalysis.js';
import type { DeriveParams } from './types.js';

/**
 * The PushMagic self-healing of seed 000, replayed on the evidence. The
 * device notes the time of a push with the wrong magic; a push with the
 * right magic within the period clears that note; a wrong-magic push the
 * period or more after the noted time makes it send a TokenUpdate and check
 * in. So:
 * - healed: wrong-magic rejections, then a TokenUpdate from the device that
 *   gives the server its PushMagic, then pushes it answered, and no rejection
 *   since. The wrong magic was real but is over: "was wrong, healed".
 * - still inside the period: the time from which one more push makes the
 *   device re-check (the noted time + the period).
 */

type Index = ReadonlyMap<string, readonly Fact[]>;
const derived = (how: string, from: string[]): Fact['source'] => ({ kind: 'derived', how, from });

interface Rejection {
  m: Moment;
  at: string;
  where: string;
}

function rejections(index: Index): Rejection[] {
  const out: Rejection[] = [];
  for (const f of index.get('device.log.magic_rejection') ?? []) {
    const m = momentOf(f);
    if (m) out.push({ m, at: f.at!, where: 'mdmd log' });
  }
  return out.sort((a, b) => a.m.ms - b.m.ms);
}

/** The magic a TokenUpdate gave the server: a server.push_magic read off the same message. */
function magicOf(update: DeviceEvent, index: Index): string | undefined {
  const src = update.fact.source;
  for (const f of index.get('server.push_magic') ?? []) {
    const s = f.source;
    if (
      s.kind === src.kind &&
      'input' in s &&
      'input' in src &&
      s.input === src.input &&
      (s.kind !== 'file' || src.kind !== 'file' || s.member === src.member)
    ) {
      if ((f.at && f.at === update.fact.at) || ('line' in s && 'line' in src && s.line && s.line === src.line)) return String(f.value);
    }
  }
  return undefined;
}

/** The PushMagic the server now holds for the case's device: another device's check-in gave it none. */
function serverMagicNow(a: PushAnalysis, index: Index): string[] {
  const ids = new Set(a.device?.ids ?? []);
  return (index.get('server.push_magic') ?? []).filter((f) => !f.at && (!ids.size || isDevicesOwn(f, ids))).map((f) => String(f.value).toUpperCase());
}

export function magicFacts(a: PushAnalysis, index: Index, params: DeriveParams): Fact[] {
  if (!params.magicRecheckHours) return [];
  const rejected = rejections(index);
  const marker = (index.get('device.push_magic_mismatch_at') ?? [])
    .map((f) => momentOf({ ...f, at: f.at ?? String(f.value) }))
    .filter((m): m is Moment => !!m)
    .sort((x, y) => x.ms - y.ms)
    .at(-1);
  if (!rejected.length && !marker) return [];
  const healed = healedFact(a, index, params, rejected);
  if (healed) return [healed];
  return recheckFacts(a, params, rejected, marker);
}

/**
 * Healed: a TokenUpdate after the first rejection that carries the device's magic (or, when the
 * message does not show it, the server now holds the device's magic), answered pushes after it,
 * and every rejection before it.
 */
function healedFact(a: PushAnalysis, index: Index, params: DeriveParams, rejected: Rejection[]): Fact | undefined {
  const device = a.device;
  const firstRejection = rejected[0];
  if (!device || !firstRejection) return undefined;
  const periodMs = params.magicRecheckHours! * 3600_000;
  const deviceMagic = new Set((index.get('device.push_magic') ?? []).map((f) => String(f.value).toUpperCase()));
  const answered = a.verdicts.filter((v) => v.verdict === 'answered');
  const updates = device.contacts.filter((c) => c.fact.name === 'mdm.checkin.token_update' && order(firstRejection.m, c.m) === 'before');
  for (const u of updates) {
    // The wrong-magic push that sets off the re-check may itself be logged as rejected just before.
    const orders = rejected.map((r) => ({ r, o: order(r.m, u.m) }));
    if (orders.some(({ r, o }) => o === 'unknown' && (r.m.zoneLess || u.m.zoneLess) && Math.abs(r.m.ms - u.m.ms) > 60_000)) {
      a.zoneBlocked.push(u);
      continue;
    }
    if (!orders.every(({ r, o }) => o === 'before' || (o === 'unknown' && Math.abs(r.m.ms - u.m.ms) <= 60_000))) continue;
    const given = magicOf(u, index);
    const serverNow = serverMagicNow(a, index);
    const holds = given ? deviceMagic.has(given.toUpperCase()) : serverNow.length > 0 && serverNow.every((v) => deviceMagic.has(v));
    if (!holds || !deviceMagic.size) continue;
    const after = answered.find((v) => order(u.m, v.push.m) !== 'after' && v.verdict === 'answered');
    if (!after) continue;
    const gap = u.m.ms - firstRejection.m.ms;
    const byPeriod = order(shift(firstRejection.m, periodMs), u.m) !== 'after' && gap >= periodMs - 60_000;
    const how = byPeriod
      ? `the ${params.magicRecheckHours}-hour re-check: mdmd rejected a wrong-magic push first at ${firstRejection.at}; ${duration(gap)} later, at ${u.fact.at}, the device sent a TokenUpdate that gave the server its PushMagic (${u.where}), and it answered the push of ${after.push.fact.at}`
      : `a TokenUpdate at ${u.fact.at} (${u.where}), ${duration(gap)} after the first wrong-magic rejection (${firstRejection.at}), gave the server the device's PushMagic, and the device answered the push of ${after.push.fact.at}`;
    return {
      name: 'mdm.wrong_magic_healed',
      value: `the first wrong-magic push was rejected at ${firstRejection.at}; ${duration(gap)} later, at ${u.fact.at}, a TokenUpdate gave the server the device's PushMagic${
        byPeriod ? ` (the ${params.magicRecheckHours}-hour re-check)` : ''
      }, and the push of ${after.push.fact.at} was answered`,
      at: u.fact.at,
      source: derived(how, ['device.log.magic_rejection', 'mdm.checkin.token_update', 'server.push_magic', 'device.push_magic', 'server.push_sent']),
      attrs: {
        first_rejection: firstRejection.at,
        token_update: u.fact.at!,
        answered_push: after.push.fact.at!,
        mechanism: byPeriod ? 'recheck' : 'token_update',
      },
    };
  }
  return undefined;
}

/**
 * Still inside the period: when does one more push make the device re-check? The device's own
 * marker (MDM.plist PushMagicMismatchDateMarker) says when it noted the wrong magic; without it,
 * replay the rejections and the right-magic (answered) pushes that clear the note.
 */
function recheckFacts(a: PushAnalysis, params: DeriveParams, rejected: Rejection[], marker: Moment | undefined): Fact[] {
  const periodMs = params.magicRecheckHours! * 3600_000;
  let noted: Moment | undefined;
  let from = '';
  if (marker) {
    noted = marker;
    from = "the device's own note of the wrong-magic push (MDM.plist PushMagicMismatchDateMarker)";
  } else {
    const cleared = a.verdicts.filter((v) => v.verdict === 'answered').map((v) => v.push.m);
    let clears = 0;
    for (const r of rejected) {
      // A push the device answered carried the right magic: it clears the note.
      while (clears < cleared.length && order(cleared[clears], r.m) === 'before') {
        noted = undefined;
        clears++;
      }
      // A wrong-magic push the period or more after the note makes the device re-check; the next one starts a new note.
      if (!noted || order(shift(noted, periodMs), r.m) !== 'after') noted = r.m;
    }
    if (noted && clears < cleared.length && cleared.slice(clears).some((c) => order(noted!, c) === 'before')) noted = undefined;
    from = 'the first wrong-magic rejection mdmd logged since the last push the device answered';
  }
  if (!noted) return [];
  const recheck = iso(noted.ms + periodMs);
  return [
    {
      name: 'mdm.magic_recheck_from',
      value: recheck,
      source: derived(
        `${iso(noted.ms)}${noted.zoneLess ? ' (zone unknown)' : ''}, ${from}, plus ${params.magicRecheckHours} h; a right-magic push before then clears the note`,
        ['device.log.magic_rejection', 'device.push_magic_mismatch_at'],
      ),
      attrs: { noted_at: iso(noted.ms) },
    },
  ];
}

/**
 * Newer evidence supersedes older wrong-magic rejections (issue 8 item 3):
 * a push the device answered after the last rejection carried the right
 * magic; and once the server holds the device's PushMagic, a contact from
 * the device or a failed push after the last rejection (one mdmd did not
 * reject) is not explained by it. Then a rejection confirms nothing.
 */
export function supersededFacts(a: PushAnalysis, index: Index): Fact[] {
  const rejected = rejections(index);
  const last = rejected.at(-1);
  if (!last) return [];
  const answered = a.verdicts.find((v) => v.verdict === 'answered' && order(last.m, v.push.m) === 'before');
  let why: string | undefined;
  if (answered)
    why = `the device answered the push of ${answered.push.fact.at} (${answered.push.where}), after mdmd's last wrong-magic rejection at ${last.at}: that push carried the right PushMagic`;
  else {
    const deviceMagic = new Set((index.get('device.push_magic') ?? []).map((f) => String(f.value).toUpperCase()));
    const serverNow = serverMagicNow(a, index);
    if (!deviceMagic.size || !serverNow.length || !serverNow.every((v) => deviceMagic.has(v))) return [];
    const contact = a.device?.contacts.find((c) => order(last.m, c.m) === 'before');
    if (contact)
      why = `the server now holds the device's PushMagic, and the device ${contact.what} at ${contact.fact.at} (${contact.where}), after mdmd's last wrong-magic rejection at ${last.at}`;
    else if (a.failure && order(last.m, a.failure.m) === 'before')
      why = `the server now holds the device's PushMagic, and ${a.failure.what} came after mdmd's last wrong-magic rejection at ${last.at}, with no rejection of its own`;
  }
  if (!why) return [];
  return [
    {
      name: 'mdm.magic_rejections_superseded',
      value: why,
      source: derived(why, ['device.log.magic_rejection', 'server.push_magic', 'device.push_magic', 'server.push_sent']),
    },
  ];
}
