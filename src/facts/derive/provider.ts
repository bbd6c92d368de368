import type { Fact } from '../schema.js';
import { tokenKey } from '../maskedToken.js';
import { showSecret } from '../secrets.js';
import type { Deriver } from './types.js';

/**
 * The apns-ids of app pushes APNs accepted: each is a key into the Push
 * Notifications Console's Delivery Log, which says what APNs did with that
 * push afterwards. A rejected push's fate is its answer already.
 */
const apnsIds: Deriver = (index) => {
  const seen = new Map<string, string[]>();
  const accepted = (f: Fact) => f.name !== 'apns.response' || f.attrs?.status === '200' || f.value === '200';
  for (const name of ['apns.response', 'apns.console.delivery'])
    for (const f of index.get(name) ?? []) {
      if (!accepted(f)) continue;
      const id = f.attrs?.apns_id?.toLowerCase();
      if (id) seen.set(id, [...new Set([...(seen.get(id) ?? []), name])]);
    }
  return [...seen]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, from]): Fact => ({ name: 'apns.apns_id', value: id, source: { kind: 'derived', how: `apns-id named by ${from.join(', ')}`, from } }));
};

/**
 * A provider's log of pushes to several device tokens, and no word on which device the case is about:
 * APNs's answer for one token says nothing of another's, so the case asks (q.case.device takes the token).
 */
const severalTokens: Deriver = (index) => {
  if ((index.get('case.device_id') ?? []).some((f) => f.source.kind === 'answer')) return [];
  const answers = index.get('apns.response') ?? [];
  const whole = answers.map((f) => f.attrs?.token).filter((t): t is string => !!t);
  // A token the log masked in its middle is a device of its own unless its ends fit a whole token the log names.
  const tokens = new Set<string>();
  for (const f of answers) {
    const key = tokenKey(f.attrs, whole);
    if (key) tokens.add(key.toLowerCase());
  }
  if (tokens.size < 2) return [];
  // Named as a channel shows a token: enough to tell them apart by eye, not to push to one. A masked one as the log wrote it.
  const names = [...tokens].sort().map((t) => `token ${t.startsWith('masked ') ? t.slice(7) : showSecret(t, 'token', 'channel')}`);
  return [
    {
      name: 'case.device_unresolved',
      value: names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', '),
      source: { kind: 'derived', how: `the provider's log holds pushes to ${tokens.size} device tokens`, from: ['apns.response'] },
      attrs: { by: 'token' },
    },
  ];
};

export const providerDerivers: Deriver[] = [apnsIds, severalTokens];
