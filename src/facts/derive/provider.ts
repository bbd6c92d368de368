import type { Fact } from '../schema.js';
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

export const providerDerivers: Deriver[] = [apnsIds];
