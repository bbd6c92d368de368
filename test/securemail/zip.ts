import { zip } from '../archive/support.js';

/**
 * A Secure Mail bundle as a phone's "send logs" writes it: deflated members
 * with UTF-8 names, built at run time instead of checking binaries in.
 */
export function buildZip(members: { name: string; data: Buffer | string }[]): Buffer {
  return zip(members.map((m) => ({ path: m.name, data: m.data, deflate: true })));
}
