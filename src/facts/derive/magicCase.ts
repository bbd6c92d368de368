import type { Fact } from '../schema.js';
import { aboutCaseDevice } from './caseDevices.js';
import type { Deriver } from './types.js';

/**
 * The server's PushMagic and the device's name the same value in another letter case (a database console
 * showing a uuid column in lower case; MDM.plist holds what the device wrote). That is not the mismatch of an
 * older enrollment's PushMagic: the server may send it as the device gave it. Only when every PushMagic the
 * case's server holds is the device's but for letter case.
 */
export const magicDiffersInCase: Deriver = (index) => {
  const mine = aboutCaseDevice(index);
  const server = (index.get('server.push_magic') ?? []).filter(mine).map((f) => String(f.value).trim());
  const device = (index.get('device.push_magic') ?? []).map((f) => String(f.value).trim());
  if (!server.length || !device.length) return [];
  const exact = new Set(device);
  const folded = new Set(device.map((v) => v.toUpperCase()));
  if (server.some((v) => exact.has(v)) || !server.every((v) => folded.has(v.toUpperCase()))) return [];
  const out: Fact = {
    name: 'mdm.magic_differs_in_case',
    value: `${[...new Set(server)].join(' / ')} (the server's) against ${[...new Set(device)].join(' / ')} (the device's)`,
    source: {
      kind: 'derived',
      how: "the server's PushMagic is the device's but for letter case",
      from: ['server.push_magic', 'device.push_magic'],
    },
  };
  return [out];
};
