import { describe, expect, it } from 'vitest';
import {
  cause,
  diagnose,
  file,
  goLog,
  MAGIC,
  nanoPush,
  nanoTokenUpdate,
  OLD_MAGIC,
  sysdiagnose,
  TOKEN,
  TOPIC,
  UDID_A,
  webhookTokenUpdate,
} from './evidence.js';

/**
 * Troubleshooting step: "which PushMagic does the server put in its pushes
 * now?" A MicroMDM webhook event shows the device's TokenUpdate with its new
 * PushMagic, and the server's push log shows which magic each push carried.
 * What the server did last is what it does now: pushes that still carry the
 * old magic after the TokenUpdate mean the server kept a record of the old
 * enrollment (seed 000: a lost CheckOut leaves two records) and pushes from
 * it; a TokenUpdate after the old-magic pushes means the server has the new
 * magic now. The device (its sysdiagnose, taken after both) expects the new
 * one.
 */

/** An in-house server logging each push with what it carried (UTC stamps). */
const pushLine = (t: string, magic: string) => `${t}Z [info] push sent udid=${UDID_A} topic=${TOPIC} push_magic=${magic} token=${TOKEN} status=200`;

const device = () => sysdiagnose({ taken: '2026.11.20_10-30-00+0000', magic: MAGIC });
const oldMagicPushes = () => file('mdm-server.log', `${[pushLine('2026-11-20T09:00:00', OLD_MAGIC), pushLine('2026-11-20T09:30:00', OLD_MAGIC)].join('\n')}\n`);

describe('the PushMagic the server uses now is what it did last', () => {
  it('pushes with the old magic after a TokenUpdate gave it the new one: the wrong magic is confirmed, not ruled out', async () => {
    const r = await diagnose(oldMagicPushes(), webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T08:00:00Z', magic: MAGIC }), device());
    expect(cause(r, 'mdm.wrong_magic')?.status).toBe('confirmed');
  });

  it('a TokenUpdate with the new magic after the old-magic pushes: the server has the device’s magic now', async () => {
    const r = await diagnose(oldMagicPushes(), webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T10:00:00Z', magic: MAGIC }), device());
    expect(cause(r, 'mdm.wrong_magic')?.status).toBe('ruled_out');
  });
});

describe("APNs's answer about a token is superseded by a later answer for the same device", () => {
  const dead = (t: string) =>
    goLog(t, `level=info service=push msg=push id=${UDID_A} err="push HTTP status: 410: APNs push error: Unregistered: timestamp 1763629200"`);

  it('410 Unregistered, then a TokenUpdate and a push APNs accepted: the old 410 no longer makes a dead token likely', async () => {
    const log = file(
      'nanomdm.log',
      `${[dead('2026-11-20 09:00:00'), ...nanoTokenUpdate(goLog, '2026-11-20 10:00:00', UDID_A), ...nanoPush(goLog, '2026-11-20 10:05:00', UDID_A)].join('\n')}\n`,
    );
    const r = await diagnose(log);
    for (const id of ['mdm.wrong_token', 'mdm.unenrolled', 'mdm.wiped']) expect(cause(r, id)?.status, id).not.toBe('likely');
  });

  it('a push APNs accepted before the 410 does not hide it', async () => {
    const log = file('nanomdm.log', `${[...nanoPush(goLog, '2026-11-20 08:00:00', UDID_A), dead('2026-11-20 09:00:00')].join('\n')}\n`);
    const r = await diagnose(log);
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('likely');
  });
});
