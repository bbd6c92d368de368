import type { Fact } from '../../facts/schema.js';
import { judgeValue } from '../../facts/valueShape.js';
import { sourceOf, type Item } from '../types.js';
import { clip, micromdmIdOf } from './serverLogWords.js';

/** What a server's push line says APNs made of the push: its HTTP status, or only that it failed or was sent. */
export interface PushOutcome {
  /** APNs's HTTP status, when the line gives or implies one. */
  code?: number;
  /** The status attribute of the push: the code, or "failed" / "sent". */
  status: string;
  apnsId?: string;
  error?: string;
}

/** The outcome of a push line naming `targets` devices (msgKey: its message, lower-cased). */
export function pushOutcome(f: Map<string, string>, targets: number, msgKey: string): PushOutcome {
  const err = f.get('err') ?? f.get('error');
  const failedErr = err !== undefined && err !== '' && err !== 'null' && err !== '<nil>';
  const errs = Number(f.get('errs') ?? 0);
  const count = f.has('count') ? Number(f.get('count')) : undefined;
  const http = f.get('status') ?? f.get('httpstatus') ?? f.get('statuscode') ?? err?.match(/\bstatus:? (\d{3})\b/)?.[1];
  // MicroMDM's push returns the apns-id only from an accepted push (its APNs client turns any other
  // answer into an error): an id with no error is APNs's 200. NanoMDM's "msg=push" line counts the
  // pushes that came back without an error (nanopush, too, makes every answer but 200 an error): every
  // id of the request counted and no error means APNs accepted each push.
  const nanoAccepted =
    msgKey === 'push' && !failedErr && errs === 0 && count !== undefined && count > 0 && count === targets && Number(f.get('idcount') ?? count) === count;
  const accepted = (micromdmIdOf(f) || nanoAccepted) && !failedErr ? 200 : undefined;
  const code = http && /^\d{3}$/.test(http) ? Number(http) : accepted;
  const failed = failedErr || errs > 0 || count === 0 || (code !== undefined && code >= 300);
  const apnsId = f.get('apnsid') ?? f.get('pushid') ?? f.get('pushnotificationid') ?? micromdmIdOf(f);
  const out: PushOutcome = { status: code !== undefined ? String(code) : failed ? 'failed' : 'sent' };
  if (code !== undefined) out.code = code;
  if (apnsId) out.apnsId = clip(apnsId);
  if (failedErr) out.error = clip(err!);
  return out;
}

/**
 * What push lines say of the pushes themselves: the topic, and whether they named the PushMagic or
 * token they carried. The values of the last two stay out of the facts (a log of many devices holds
 * many); that they were there makes the push an MDM push.
 */
export class PushIdentities {
  /** The PushMagic and token of the latest push line that named them, and when that push went out. */
  private last?: { n: number; magic?: string; token?: string; at?: string; zone?: string };
  /** Every device a push went to. */
  readonly pushedTo = new Set<string>();

  /** The push line's identity attributes (topic, push_magic / push_token "logged"). */
  of(f: Map<string, string>, n: number, at?: string, zone?: string): Record<string, string> {
    const out: Record<string, string> = {};
    const topic = f.get('topic') ?? f.get('pushtopic') ?? f.get('apnstopic');
    if (topic?.includes('.') && judgeValue('topic', topic).state === 'ok') out.topic = clip(topic);
    const magic = f.get('pushmagic') ?? f.get('magic');
    const m = magic ? judgeValue('magic', magic) : undefined;
    if (m && m.state !== 'invalid') out.push_magic = 'logged';
    const token = f.get('pushtoken') ?? f.get('devicetoken') ?? f.get('token');
    const t = token ? judgeValue('token', token) : undefined;
    if (t && t.state !== 'invalid') out.push_token = 'logged';
    if (m?.state === 'ok' || t?.state === 'ok')
      this.last = {
        n,
        ...(m?.state === 'ok' ? { magic: m.value } : {}),
        ...(t?.state === 'ok' ? { token: t.value } : {}),
        ...(at ? { at } : {}),
        ...(at && zone ? { zone } : {}),
      };
    return out;
  }

  /**
   * A log of one device's pushes says which PushMagic and token the server uses now: the latest push's
   * (an older line may be from before a TokenUpdate). With several devices nothing says which is the case's.
   */
  values(item: Item): Fact[] {
    const last = this.last;
    if (!last || this.pushedTo.size !== 1) return [];
    const source = sourceOf(item, last.n);
    // When the push carrying them went out: a TokenUpdate before it is superseded by it, one after it supersedes it.
    const attrs: Record<string, string> = {
      udid: [...this.pushedTo][0],
      ...(last.at ? { pushed_at: last.at } : {}),
      ...(last.zone ? { pushed_zone: last.zone } : {}),
    };
    const out: Fact[] = [];
    if (last.magic) out.push({ name: 'server.push_magic', value: last.magic, source, attrs: { ...attrs } });
    if (last.token) out.push({ name: 'server.push_token', value: last.token, source, attrs: { ...attrs } });
    return out;
  }
}
