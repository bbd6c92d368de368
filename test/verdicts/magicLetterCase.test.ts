import { describe, expect, it } from 'vitest';
import { cause, diagnose, MAGIC, OLD_MAGIC, sysdiagnose, TOKEN, TOPIC } from './evidence.js';

/**
 * The engineer copies the server's PushMagic from a database console that shows UUIDs in lower case
 * (a uuid column does), and compares it with MDM.plist's, which the device wrote in upper case. The two
 * name the same PushMagic in another letter case: that alone does not prove the server pushes with a PushMagic
 * the device does not expect (it may well send it as the device gave it), though a server that really sends it
 * lower-cased may be refused by mdmd's comparison. Likely, with what to check, not confirmed.
 */

const device = () => sysdiagnose({ taken: '2026.11.30_10-20-00+0000' });

describe("the server's PushMagic differs from the device's only in letter case", () => {
  it('does not confirm a wrong PushMagic: it is likely, and the reason says the values differ only in letter case', async () => {
    const r = await diagnose(device(), '--topic', TOPIC, '--token', TOKEN, '--magic', MAGIC.toLowerCase());
    const c = cause(r, 'mdm.wrong_magic');
    expect(c?.status).toBe('likely');
    expect(JSON.stringify(c?.because ?? c)).toContain('letter case');
  });

  it('a PushMagic that really differs still confirms it', async () => {
    const r = await diagnose(device(), '--topic', TOPIC, '--token', TOKEN, '--magic', OLD_MAGIC.toLowerCase());
    expect(cause(r, 'mdm.wrong_magic')?.status).toBe('confirmed');
  });

  it('the same PushMagic in the same case rules it out', async () => {
    const r = await diagnose(device(), '--topic', TOPIC, '--token', TOKEN, '--magic', MAGIC);
    expect(cause(r, 'mdm.wrong_magic')?.status).toBe('ruled_out');
  });
});
