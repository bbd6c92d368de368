import { createHash } from 'node:crypto';
import { bareHex } from '../hashAsToken.js';
import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import type { Deriver } from './types.js';

const SIDE_MAP: Record<string, { server: string; device: string }> = {
  'pasted.topic': { server: 'server.topic', device: 'device.topic' },
  'pasted.push_magic': { server: 'server.push_magic', device: 'device.push_magic' },
};

/**
 * Only one side can hold some values, so they need no question: a push
 * token is what the server pushes to (the device shows only its hash), and
 * a token hash is the device's LastPushTokenHash.
 */
const ONE_SIDED: Record<string, { to: string; how: string }> = {
  'pasted.push_token': { to: 'server.push_token', how: 'a pasted push token is the one the server pushes to (devices show only its hash)' },
  'pasted.push_token_hash': { to: 'device.push_token_hash', how: "a pasted token hash is the device's LastPushTokenHash" },
};

/** Once someone says whose the unlabelled pasted values are, they count as that side's. */
const pastedSide: Deriver = (index) => {
  const out: Fact[] = [];
  for (const [from, { to, how }] of Object.entries(ONE_SIDED))
    for (const f of index.get(from) ?? []) out.push({ ...f, name: to, source: { kind: 'derived', how, from: [from] } });
  const side = index.get('case.pasted_side')?.at(-1)?.value;
  if (side !== 'server' && side !== 'device') return out;
  for (const [from, to] of Object.entries(SIDE_MAP)) {
    for (const f of index.get(from) ?? []) {
      out.push({ ...f, name: to[side], source: { kind: 'derived', how: `pasted value taken as the ${side}'s (answer to q.case.pasted_side)`, from: [from] } });
    }
  }
  return out;
};

/** The device only keeps SHA-256(token); hash the server's token so the two can be compared. */
const serverTokenHash: Deriver = (index) =>
  (index.get('server.push_token') ?? []).map((f) => ({
    name: 'server.push_token_sha256',
    value: createHash('sha256')
      .update(Buffer.from(String(f.value), 'hex'))
      .digest('hex'),
    source: { kind: 'derived', how: "SHA-256 of the server's push token", from: ['server.push_token'] },
    // The hash is of the same device's token as the token it was made from, and from the same message.
    ...(f.attrs?.udid || f.attrs?.message
      ? { attrs: { ...(f.attrs.udid ? { udid: f.attrs.udid } : {}), ...(f.attrs.message ? { message: f.attrs.message } : {}) } }
      : {}),
  }));

/**
 * A token and a LastPushTokenHash are both 64 hex digits: a value given as the server's token that is the
 * device's LastPushTokenHash itself was copied from the hash (MDM.plist, a dashboard). Hashing it again proves
 * nothing about the server's real token, so the comparison waits for the token itself.
 */
const tokenGivenIsHash: Deriver = (index) => {
  const hashes = new Set((index.get('device.push_token_hash') ?? []).map((f) => bareHex(f.value)));
  if (!hashes.size) return [];
  const out: Fact[] = [];
  for (const f of index.get('server.push_token') ?? []) {
    const v = bareHex(f.value);
    if (!hashes.has(v) || out.some((o) => o.value === v)) continue;
    out.push({
      name: 'mdm.token_given_is_hash',
      value: v,
      source: {
        kind: 'derived',
        how: `the token given for the server (${describeSource(f.source)}) is the device's LastPushTokenHash itself`,
        from: ['server.push_token', 'device.push_token_hash'],
      },
    });
  }
  return out;
};

export const mdmDerivers: Deriver[] = [pastedSide, serverTokenHash, tokenGivenIsHash];
