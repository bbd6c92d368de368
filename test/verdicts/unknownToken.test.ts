import { describe, expect, it } from 'vitest';
import { diagnose, file, logShow, note } from './evidence.js';

/**
 * Troubleshooting step: "did the push reach the device?" apsd logs a push that came in for a token the device
 * does not hold ("…but for a completely unknown token"): the push reached the device and was dropped, which is
 * what a server pushing to an old token looks like. With the topic hidden (<private>), the line cannot say
 * whether it was the MDM push or an app's, and such lines are also seen for unrelated traffic
 * (shared/knowledge/apns-mdm.md (c)): the report says what the line shows and asks what it cannot tell.
 */

const UNKNOWN = 'Received incoming push notification for topic: <private> but for a completely unknown token <private>';
const apsdLog = (message: string) => file('apsd.log', logShow([['2026-11-20 09:31:02.123456+0100', 'apsd', message]]));

describe('apsd received a push for a token it does not hold', () => {
  it('says so first, before asking which kind of push problem this is', async () => {
    const r = await diagnose(apsdLog(UNKNOWN));
    expect(r.domains).toEqual([]);
    expect(r.headline).toMatch(/token it does not hold/);
    expect(r.nextAction.question).toBe('q.case.domain');
    const n = note(r, 'device.note.push_for_unknown_token');
    expect(n?.text).toMatch(/old token/);
    // The line alone decides nothing: unrelated traffic logs it too.
    expect(n?.text).toMatch(/unrelated/);
  });

  it('a push apsd delivered on a known token gets no such note', async () => {
    const r = await diagnose(
      apsdLog("Received message for enabled topic 'com.apple.mgmt.External.4b2d6f80-1c3e-4a5b-9d7f-0e2c4a6b8d1f' onInterface: NonCellular"),
    );
    expect(note(r, 'device.note.push_for_unknown_token')).toBeUndefined();
    expect(r.headline).not.toMatch(/token it does not hold/);
  });
});
