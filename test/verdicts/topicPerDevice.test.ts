import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { cause, diagnose, file, MAGIC, nanoIdle, nanoLib, nanoPush, sysdiagnose, TOKEN, TOPIC, UDID_A, UDID_B } from './evidence.js';

/**
 * A NanoMDM server with a push certificate per group of devices: its log names, push by push, the topic it
 * pushed on and the device. The case's iPhone (A) is pushed on a topic it does not listen on, while another
 * iPhone (B) is pushed on the iPhone's topic. B's pushes say nothing of A's: the wrong topic is not ruled out
 * for A by them, and the Feedback draft never names B's topic as the one A's pushes went out on.
 */

const OTHER_TOPIC = 'com.apple.mgmt.External.0b7d9e2c-4a1f-4c3e-8d5b-6f7a8b9c0d1e';

const serverLog = (topicOfA: string, topicOfB: string) =>
  file(
    'nanomdm.log',
    `${[
      ...nanoPush(nanoLib, '2026-11-30T09:00:00', UDID_A, topicOfA),
      ...nanoPush(nanoLib, '2026-11-30T09:00:00', UDID_B, topicOfB),
      ...nanoIdle(nanoLib, '2026-11-30T09:00:01', UDID_B),
      ...nanoPush(nanoLib, '2026-11-30T09:15:00', UDID_A, topicOfA),
      ...nanoPush(nanoLib, '2026-11-30T09:15:00', UDID_B, topicOfB),
      ...nanoIdle(nanoLib, '2026-11-30T09:15:02', UDID_B),
      ...nanoIdle(nanoLib, '2026-11-30T09:30:00', UDID_B),
    ].join('\n')}\n`,
  );

const argv = (log: string) => [
  sysdiagnose({ taken: '2026.11.30_09-20-00+0000' }),
  log,
  '--magic',
  MAGIC,
  '--token',
  TOKEN,
  '--now',
  '2026-11-30T10:30:00Z',
  '--answer',
  `q.case.device=${UDID_A}`,
  '--answer',
  'q.mdm.network_ok=yes',
  '--answer',
  'q.mdm.server_reachable=yes',
];

describe('the topic each device was pushed on, in a log of a server with a certificate per group', () => {
  it("another device's pushes on the case device's topic do not rule out that the case device is pushed on the wrong one", async () => {
    const r = await diagnose(...argv(serverLog(OTHER_TOPIC, TOPIC)));
    expect(cause(r, 'mdm.wrong_topic')?.status).toBe('confirmed');
    expect(r.filing.status).not.toBe('ready');
  });

  it("the Feedback draft names only the topic the case device's pushes went out on", async () => {
    const r = await cli('feedback', ...argv(serverLog(TOPIC, OTHER_TOPIC)));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`Push topic: ${TOPIC}\n`);
    expect(r.out).not.toContain(OTHER_TOPIC);
  });
});
