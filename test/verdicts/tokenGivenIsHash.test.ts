import { describe, expect, it } from 'vitest';
import { cause, diagnose, MAGIC, note, sysdiagnose, TOKEN, TOKEN_HASH, TOPIC } from './evidence.js';

/**
 * A push token and a LastPushTokenHash are both 64 hex digits. An engineer who copies the device's
 * LastPushTokenHash out of MDM.plist (or a dashboard that shows it) and pastes it as "the token the server
 * uses" has given pushcheck a hash, not a token. Hashing it again gives something the device never holds:
 * that is not proof the server pushes to a stale token, and the report must say what was pasted.
 */

const HASH = TOKEN_HASH.toString('hex');
const device = () => sysdiagnose({ taken: '2026.11.30_10-20-00+0000' });

describe("a token given for the server that is the device's LastPushTokenHash itself", () => {
  it('does not confirm that the server pushes to a token the device no longer has', async () => {
    const r = await diagnose(device(), '--topic', TOPIC, '--magic', MAGIC, '--token', HASH);
    expect(cause(r, 'mdm.wrong_token')?.status).toBe('open');
  });

  it('says the value given is the hash, and asks for the token itself', async () => {
    const r = await diagnose(device(), '--topic', TOPIC, '--magic', MAGIC, '--token', HASH.toUpperCase());
    const text = String(note(r, 'mdm.note.token_given_is_hash')?.text ?? '');
    expect(text).toContain(HASH);
    expect(text).toContain('LastPushTokenHash');
    expect(text).toContain('q.mdm.server_token');
  });

  it("with the server's real token given later beside it, the comparison is made with the token", async () => {
    const r = await diagnose(device(), '--topic', TOPIC, '--magic', MAGIC, '--token', HASH, '--answer', `q.mdm.server_token=${TOKEN}`);
    expect(cause(r, 'mdm.wrong_token')?.status).toBe('ruled_out');
  });

  it("the server's real token still settles it (its hash is the device's LastPushTokenHash)", async () => {
    const r = await diagnose(device(), '--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN);
    expect(cause(r, 'mdm.wrong_token')?.status).toBe('ruled_out');
    expect(note(r, 'mdm.note.token_given_is_hash')).toBeUndefined();
  });

  it('a token that hashes to something else than the device holds still confirms it', async () => {
    const other = 'b1'.repeat(32);
    const r = await diagnose(device(), '--topic', TOPIC, '--magic', MAGIC, '--token', other);
    expect(cause(r, 'mdm.wrong_token')?.status).toBe('confirmed');
    expect(note(r, 'mdm.note.token_given_is_hash')).toBeUndefined();
  });
});
