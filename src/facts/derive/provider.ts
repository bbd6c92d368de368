import type { Fact } from '../schema.js';
import { hiddenMayBeSeveral, maskedTokenFits, tokenKey } from '../maskedToken.js';
import { showSecret } from '../secrets.js';
import { lineOf } from '../foldColumns.js';
import { caseToken } from './apns.js';
import type { Deriver } from './types.js';

/**
 * The apns-ids of app pushes APNs accepted: each is a key into the Push
 * Notifications Console's Delivery Log, which says what APNs did with that
 * push afterwards. A rejected push's fate is its answer already. An apns-id
 * logged twice (sent, then answered) is one push.
 *
 * A busy provider log names thousands (one per push): beyond MAX_APNS_IDS, each
 * device token keeps the apns-ids of its first and last few pushes, and of those
 * the case's token's stay with the newest of the others up to the bound. What is
 * looked up is one push the case is about, not every push of the log.
 */
const MAX_APNS_IDS = 20;
const FIRST_OF_TOKEN = 2;
const LAST_OF_TOKEN = 3;

interface SeenId {
  id: string;
  from: string[];
  /** The token the push went to (whole, else as the log masked it), or '' for none. */
  token: string;
  at: string;
  line: number;
  /** Reading order among the answers, for ties. */
  n: number;
}

const apnsIds: Deriver = (index) => {
  const seen = new Map<string, SeenId>();
  const accepted = (f: Fact) => f.name !== 'apns.response' || f.attrs?.status === '200' || f.value === '200';
  for (const name of ['apns.response', 'apns.console.delivery'])
    for (const f of index.get(name) ?? []) {
      if (!accepted(f)) continue;
      const id = f.attrs?.apns_id?.toLowerCase();
      if (!id) continue;
      const s = seen.get(id);
      if (s) {
        if (!s.from.includes(name)) s.from.push(name);
      } else
        seen.set(id, {
          id,
          from: [name],
          token: (f.attrs?.token ?? f.attrs?.token_masked ?? '').toUpperCase(),
          at: f.at ?? '',
          line: lineOf(f),
          n: seen.size,
        });
    }
  const all = [...seen.values()];
  const kept = all.length > MAX_APNS_IDS ? keptIds(all, caseToken(index)) : all;
  const how = (s: SeenId) =>
    `apns-id named by ${s.from.join(', ')}${kept === all ? '' : ` (${kept.length} of the ${all.length} accepted pushes' apns-ids kept: each token's first ${FIRST_OF_TOKEN} and last ${LAST_OF_TOKEN}, the case's token's and the newest)`}`;
  return kept
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((s): Fact => ({ name: 'apns.apns_id', value: s.id, source: { kind: 'derived', how: how(s), from: s.from } }));
};

/** Reading order: time, then line, then the order the answers came in. */
function byTime(a: SeenId, b: SeenId): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.line - b.line || a.n - b.n;
}

/** The apns-ids kept of a busy log (see apnsIds): linear but for sorting. */
function keptIds(all: SeenId[], caseToken: string | undefined): SeenId[] {
  const byToken = new Map<string, SeenId[]>();
  for (const s of all) {
    const list = byToken.get(s.token);
    if (list) list.push(s);
    else byToken.set(s.token, [s]);
  }
  const own: SeenId[] = [];
  const others: SeenId[] = [];
  for (const [token, list] of byToken) {
    list.sort(byTime);
    const ends = list.length <= FIRST_OF_TOKEN + LAST_OF_TOKEN ? list : list.slice(0, FIRST_OF_TOKEN).concat(list.slice(-LAST_OF_TOKEN));
    for (const s of ends) (caseToken && token === caseToken ? own : others).push(s);
  }
  if (own.length + others.length <= MAX_APNS_IDS) return own.concat(others);
  others.sort(byTime);
  return own.concat(others.slice(Math.max(0, others.length - Math.max(0, MAX_APNS_IDS - own.length))));
}

/**
 * A provider's log of pushes to several device tokens, and no word on which device the case is about:
 * APNs's answer for one token says nothing of another's, so the case asks (q.case.device takes the token).
 */
const severalTokens: Deriver = (index) => {
  if ((index.get('case.device_id') ?? []).some((f) => f.source.kind === 'answer')) return [];
  const tokens = providerTokens(index);
  if (tokens.size < 2) return [];
  const names = [...tokens].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, name]) => name);
  return [
    {
      name: 'case.device_unresolved',
      value: names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', '),
      source: { kind: 'derived', how: `the provider's log holds pushes to ${tokens.size} device tokens`, from: ['apns.response'] },
      attrs: { by: 'token' },
    },
  ];
};

/**
 * The device tokens a provider's log answers for, each as its key (lower case: a whole token, `masked <ends>`,
 * `hidden…`) and the name a report shows it by.
 */
export function providerTokens(index: ReadonlyMap<string, readonly Fact[]>): Map<string, string> {
  const answers = index.get('apns.response') ?? [];
  const whole = answers.map((f) => f.attrs?.token).filter((t): t is string => !!t);
  // A token the log masked in its middle is a device of its own unless its ends fit a whole token the log names.
  // A token the log hid whole is one of several unknown devices when the log may hold several (hiddenMayBeSeveral).
  const several = hiddenMayBeSeveral(answers);
  const tokens = new Map<string, string>();
  for (const f of answers) {
    const key = tokenKey(f.attrs, whole, several)?.toLowerCase();
    if (key && !tokens.has(key)) tokens.set(key, nameOf(key, f));
  }
  return tokens;
}

/**
 * Whether a push token (64 hex digits) may be one the evidence names: a provider's answer for it (whole, or masked
 * with ends that fit it, or hidden whole, which may be any token), or the token an MDM server pushes to.
 */
export function tokenInEvidence(index: ReadonlyMap<string, readonly Fact[]>, token: string): boolean {
  const t = token.toLowerCase();
  for (const f of index.get('apns.response') ?? []) {
    const a = f.attrs ?? {};
    if (a.token?.trim().toLowerCase() === t || a.token_hidden || (a.token_masked && maskedTokenFits(a.token_masked, t))) return true;
  }
  // A server token the evidence masked or garbled may be this one.
  for (const f of index.get('server.push_token') ?? []) {
    const v = String(f.value).trim().toLowerCase();
    if (v === t || !/^[0-9a-f]{64}$/.test(v)) return true;
  }
  return (index.get('apns.push_reached_device') ?? []).some((f) => f.attrs?.token?.trim().toLowerCase() === t);
}

/**
 * Answers whose token the log hid whole: said in a note, with whether the log shows they may be several
 * devices' (then they decide nothing about the case's device) or are read as one device's.
 */
const hiddenTokens: Deriver = (index) => {
  const answers = index.get('apns.response') ?? [];
  const hidden = answers.filter((f) => f.attrs?.token_hidden);
  if (!hidden.length) return [];
  const forms = [...new Set(hidden.map((f) => f.attrs!.token_hidden!))].sort();
  const several = hiddenMayBeSeveral(answers);
  return [
    {
      name: 'apns.token_hidden',
      value: forms.map((x) => `token=${x}`).join(', '),
      source: {
        kind: 'derived',
        how: `${hidden.length} of the provider's answers hide the device token whole${several ? ", and the log shows they may be several devices'" : ''}`,
        from: ['apns.response'],
      },
      attrs: { answers: String(hidden.length), several: several ? 'yes' : 'no' },
    },
  ];
};

/**
 * A device as severalTokens names it. Named as a channel shows a token: enough to tell them apart by eye, not
 * to push to one. A masked one as the log wrote it; a hidden one by what its line shows (its device id, or
 * APNs's answer).
 */
function nameOf(key: string, f: Fact): string {
  if (key.startsWith('masked ')) return `token ${key.slice(7)}`;
  if (!key.startsWith('hidden')) return `token ${showSecret(key, 'token', 'channel')}`;
  const a = f.attrs ?? {};
  return `token ${a.token_hidden} (${a.udid ? `device ${a.udid}` : `answered ${[a.status, a.reason].filter(Boolean).join(' ') || String(f.value)}`})`;
}

export const providerDerivers: Deriver[] = [apnsIds, severalTokens, hiddenTokens];
