import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import { aboutCaseDevice } from './caseDevices.js';
import type { Deriver } from './types.js';

/** Push details a TokenUpdate gives the server (the reader tags them with the message they came in). */
const DETAILS = [
  { name: 'server.push_magic', label: 'PushMagic' },
  { name: 'server.push_token', label: 'token' },
] as const;

const fromTokenUpdate = (f: Fact) => f.attrs?.message === 'TokenUpdate' && !!f.attrs.udid?.trim();

/**
 * The case names its device, and the TokenUpdates in the evidence that spell out push details are all other
 * devices': said plainly, with whose they are, whether the device's own TokenUpdate is there without its
 * values (a server log's "msg=TokenUpdate" line), and whether a value someone gave is one of those others'.
 * Nothing here is the case device's topic, PushMagic or token, so nothing is compared with its MDM.plist.
 */
export const tokenUpdateOfOtherDevices: Deriver = (index) => {
  const subject = index.get('case.device')?.[0];
  if (!subject) return [];
  const mine = aboutCaseDevice(index);
  const read = DETAILS.flatMap((d) => (index.get(d.name) ?? []).filter(fromTokenUpdate));
  if (!read.length || read.some(mine)) return [];

  const others = new Map<string, string[]>();
  for (const f of read) {
    const udid = f.attrs!.udid!.trim();
    const where = describeSource(f.source).replace(/:\d+$/, '');
    const list = others.get(udid) ?? [];
    if (!list.includes(where)) list.push(where);
    others.set(udid, list);
  }
  const devices = [...others.keys()].sort();
  const parts = [
    `the TokenUpdates read that give push details are ${devices.length === 1 ? "another device's" : "other devices'"}: ${devices
      .map((u) => `${u} (${others.get(u)!.join(', ')})`)
      .join('; ')}`,
  ];
  const own = (index.get('mdm.checkin.token_update') ?? []).filter((f) => f.attrs?.udid && mine(f));
  if (own.length) parts.push(`its own TokenUpdate is in the evidence without them (${[...new Set(own.map((f) => describeSource(f.source)))].join(', ')})`);
  // A value given for the server that is another device's TokenUpdate's was most likely copied from the wrong record.
  for (const d of DETAILS) {
    for (const given of (index.get(d.name) ?? []).filter((f) => f.source.kind === 'pasted' || f.source.kind === 'answer')) {
      const v = String(given.value).trim().toUpperCase();
      const owner = read.find((f) => f.name === d.name && String(f.value).trim().toUpperCase() === v);
      if (owner) parts.push(`the ${d.label} given (${describeSource(given.source)}) is the one ${owner.attrs!.udid!.trim()}'s TokenUpdate gave`);
    }
  }
  return [
    {
      name: 'mdm.token_update_of_other_devices',
      value: parts.join('; '),
      source: {
        kind: 'derived',
        how: `no TokenUpdate in the evidence gives ${String(subject.value)}'s push details; ${devices.length} other device(s)' do`,
        from: ['case.device', 'mdm.checkin.token_update', 'server.push_magic', 'server.push_token'],
      },
    },
  ];
};
