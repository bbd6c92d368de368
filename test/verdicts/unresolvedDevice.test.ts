import { describe, expect, it } from 'vitest';
import { cause, diagnose, questionIds, TOPIC, UDID_A, UDID_B, webhookTokenUpdate, answeredPushLog } from './evidence.js';

/**
 * Troubleshooting step: "does the server push on the topic the device enrolled with?" The engineer hands
 * over one device's TokenUpdate (a MicroMDM webhook event) and the server's log, whose pushes are another
 * device's. The TokenUpdate names a topic that is not the one the server's log pushes on. Until the case
 * says which device it is about, that is no finding: the check-in may be of a device enrolled elsewhere.
 * Once the check-in's device is named, the server pushing it on another topic than it enrolled with is, when
 * the topic the server pushes it on is known (another device's pushes do not show it).
 */

const OTHER_TOPIC = 'com.apple.mgmt.External.0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a';

const serverLogOfB = () => answeredPushLog(UDID_B);

describe("one device's check-in on another topic beside a server log of another device", () => {
  it('asks which device first, and confirms no wrong topic while the case names none', async () => {
    const r = await diagnose(webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T09:30:00Z', topic: OTHER_TOPIC }), serverLogOfB());
    expect(questionIds(r)[0]).toBe('q.case.device');
    expect(cause(r, 'mdm.wrong_topic')?.status).not.toBe('confirmed');
  });

  // The log's topic line serves B's push only. A server may hold a push certificate per topic (NanoMDM picks the
  // one for each enrollment's topic), so B's pushes do not show which topic A is pushed on: asked, not confirmed.
  it("once the check-in's device is named, the other device's pushes do not show the topic it is pushed on: asked, not confirmed", async () => {
    const r = await diagnose(
      webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T09:30:00Z', topic: OTHER_TOPIC }),
      serverLogOfB(),
      '--answer',
      `q.case.device=${UDID_A}`,
    );
    expect(cause(r, 'mdm.wrong_topic')?.status).toBe('open');
    expect(questionIds(r)).toContain('q.mdm.server_topic');
  });

  it('with the topic the server pushes this device on given, the check-in on another topic confirms it', async () => {
    const r = await diagnose(
      webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T09:30:00Z', topic: OTHER_TOPIC }),
      serverLogOfB(),
      '--answer',
      `q.case.device=${UDID_A}`,
      '--topic',
      TOPIC,
    );
    expect(cause(r, 'mdm.wrong_topic')?.status).toBe('confirmed');
  });

  it("once the log's device is named, the other device's check-in topic says nothing of it", async () => {
    const r = await diagnose(
      webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T09:30:00Z', topic: OTHER_TOPIC }),
      serverLogOfB(),
      '--answer',
      `q.case.device=${UDID_B}`,
    );
    expect(cause(r, 'mdm.wrong_topic')?.status).not.toBe('confirmed');
  });

  it('the same check-in with the topic the server pushes on: no wrong topic either way', async () => {
    const r = await diagnose(
      webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T09:30:00Z', topic: TOPIC }),
      serverLogOfB(),
      '--answer',
      `q.case.device=${UDID_A}`,
    );
    expect(cause(r, 'mdm.wrong_topic')?.status).not.toBe('confirmed');
  });
});
