import { createHash } from 'node:crypto';
import type { Fact } from './schema.js';

/** A hex value as typed or read, without spaces, angle brackets or case. */
export const bareHex = (v: unknown) =>
  String(v)
    .replace(/[\s<>]/g, '')
    .toLowerCase();

/**
 * A token and a LastPushTokenHash are both 64 hex digits. A value given as the server's token that is the
 * device's LastPushTokenHash itself was copied from the hash, not the token: it is not the server's token
 * (derive/mdm.ts notes it as mdm.token_given_is_hash), and neither it nor its own SHA-256 is compared.
 */
export function withoutHashGivenAsToken<F extends Fact>(facts: readonly F[]): readonly F[] {
  const hashes = new Set<string>();
  for (const f of facts) if (f.name === 'device.push_token_hash') hashes.add(bareHex(f.value));
  if (!hashes.size) return facts;
  const dropped = new Set<F>();
  const rehashed = new Set<string>();
  for (const f of facts) {
    if (f.name !== 'server.push_token' || !hashes.has(bareHex(f.value))) continue;
    dropped.add(f);
    rehashed.add(
      createHash('sha256')
        .update(Buffer.from(bareHex(f.value), 'hex'))
        .digest('hex'),
    );
  }
  if (!dropped.size) return facts;
  return facts.filter((f) => !dropped.has(f) && !(f.name === 'server.push_token_sha256' && rehashed.has(bareHex(f.value))));
}
