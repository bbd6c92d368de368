import { msOf, occurrences } from './fold.js';
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

/** When the fact was last seen: a folded fact's latest observation. */
function timeOf(f: Fact): Timed | undefined {
  const at = f.at ?? f.attrs?.pushed_at;
  if (!at) return undefined;
  let ms = Date.parse(at);
  if (f.at && f.fold) for (let i = 1; i < occurrences(f); i++) ms = Math.max(ms, msOf(f, i) || ms);
  if (!Number.isFinite(ms)) return undefined;
  const zone = f.at ? f.attrs?.zone : f.attrs?.pushed_zone;
  return { ms, clock: zone === 'unknown' ? `unknown@${'input' in f.source ? f.source.input : ''}` : 'utc' };
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

/** APNs refusing one device's push (410 Unregistered, BadDeviceToken…) is history once APNs accepted a later push to it. */
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
    if ((f.name !== 'mdm.apns_response' && f.name !== 'apns.response') || isAccepted(f)) continue;
    const key = answeredFor(f);
    const t = key ? timeOf(f) : undefined;
    if (!t) continue;
    accepted ??= acceptedLater(facts);
    if (accepted.get(key!)?.some((a) => a.clock === t.clock && a.ms > t.ms)) dropped.add(f);
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
  retriedSteps(facts, dropped);
  return dropped.size ? facts.filter((f) => !dropped.has(f)) : facts;
}

/**
 * A Secure Mail subscription step (tenant ID, listener registration, EWS subscription…) that failed is
 * history once the same step succeeded later: the app retries, and the latest try is what holds now.
 */
function retriedSteps<F extends Fact>(facts: readonly F[], dropped: Set<F>): void {
  let succeeded: Map<string, Timed[]> | undefined;
  for (const f of facts) {
    if (f.name !== 'securemail.apns.failed_operation') continue;
    const t = timeOf(f);
    if (!t) continue;
    if (!succeeded) {
      succeeded = new Map();
      for (const s of facts) {
        const st = s.name === 'securemail.apns.succeeded_operation' ? timeOf(s) : undefined;
        if (st) succeeded.set(String(s.value), [...(succeeded.get(String(s.value)) ?? []), st]);
      }
    }
    if (succeeded.get(String(f.value))?.some((s) => s.clock === t.clock && s.ms > t.ms)) dropped.add(f);
  }
}

const norm = (v: Fact['value']) => String(v).trim().toUpperCase();
