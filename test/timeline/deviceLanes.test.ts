import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { scratchDir } from '../support/scratch.js';
import { answeredPushLog, file, nanoIdle, nanoLib, nanoPush, nanoTokenUpdate, sysdiagnose, UDID_A, UDID_B } from '../verdicts/evidence.js';
import { timelineHeight, timelineModel, timelineSvg } from '../../src/timeline/index.js';
import type { Report } from '../../src/report/types.js';

/**
 * Troubleshooting step: "did this device come back after its push?" A
 * NanoMDM log holds every enrolled device: device A polled two seconds after
 * its push, device B never came after two. On shared lanes, A's Idle sits
 * right after B's pushes and reads as B's answer. Each device gets its own
 * rows, named, the case's device first; a picture of one device is drawn
 * exactly as before.
 */

/** A's push answered at 10:00; B pushed at 10:05 and 11:05 with nothing from it since. */
const twoDevices = () =>
  file(
    'nanomdm.log',
    `${[
      ...nanoTokenUpdate(nanoLib, '2026-11-20T09:00:00', UDID_A),
      ...nanoTokenUpdate(nanoLib, '2026-11-20T09:10:00', UDID_B),
      ...nanoPush(nanoLib, '2026-11-20T10:00:00', UDID_A),
      ...nanoIdle(nanoLib, '2026-11-20T10:00:02', UDID_A),
      ...nanoPush(nanoLib, '2026-11-20T10:05:00', UDID_B),
      ...nanoPush(nanoLib, '2026-11-20T11:05:00', UDID_B),
    ].join('\n')}\n`,
  );

const T1 = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const T2 = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';
/** An app provider's log of two copies of the app: one token's pushes accepted, the other's refused. */
const twoTokens = () =>
  file(
    'provider.log',
    `${[
      `2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${T1} apns-topic=com.example.demo status=200`,
      `2026-11-20T10:01:01.110Z WARN  apns: apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=${T2} apns-topic=com.example.demo status=410 reason=Unregistered`,
      `2026-11-20T10:02:00.004Z INFO  apns: sent apns-id=6f4c2b3d-1e0f-4a5b-8c9d-0e1f2a3b4c5d token=${T1} apns-topic=com.example.demo status=200`,
    ].join('\n')}\n`,
  );

async function reportOf(...argv: string[]): Promise<Report> {
  const { out } = await cli('diagnose', ...argv, '--format', 'json');
  return JSON.parse(out) as Report;
}

const rowsOf = (model: ReturnType<typeof timelineModel>) => model.rows.map((r) => [r.lane, r.label]);
const marksOn = (model: ReturnType<typeof timelineModel>, lane: string, device: string | undefined) =>
  model.marks.filter((m) => m.lane === lane && m.device === device).map((m) => `${m.iso.slice(11, 19)} ${m.label}`);

describe('a server log of several devices on the timeline', () => {
  it("gives each device its own rows: B's unanswered pushes are not drawn beside A's Idle", async () => {
    const model = timelineModel(await reportOf(twoDevices()));
    expect(rowsOf(model)).toEqual([
      ['push', 'device 0000…401E'],
      ['push', 'device 0000…801E'],
      ['command', 'device 0000…801E'],
      ['enrollment', 'device 0000…401E'],
      ['enrollment', 'device 0000…801E'],
    ]);
    expect(marksOn(model, 'push', UDID_B.toUpperCase())).toEqual(['10:05:00 200', '11:05:00 200']);
    expect(marksOn(model, 'push', UDID_A.toUpperCase())).toEqual(['10:00:00 200']);
    expect(marksOn(model, 'command', UDID_A.toUpperCase())).toEqual(['10:00:02 Idle']);
    // Nothing of B's is drawn on A's rows, and nothing is left on a row of no device.
    expect(model.marks.every((m) => m.device)).toBe(true);
  });

  it("puts the case's device first, said to be the case's, once the case names it", async () => {
    const model = timelineModel(await reportOf(twoDevices(), '--answer', `q.case.device=${UDID_A}`));
    expect(rowsOf(model).slice(0, 2)).toEqual([
      ['push', 'device 0000…801E (this case)'],
      ['push', 'device 0000…401E'],
    ]);
  });

  it('names each row in the picture, and the PNG has room for every row', async () => {
    const report = await reportOf(twoDevices());
    const svg = timelineSvg(report)!;
    expect(svg.match(/>device 0000…401E</g)).toHaveLength(2);
    expect(svg.match(/>Pushes sent \(APNs answer\)</g)).toHaveLength(2);
    const png = join(scratchDir('pushcheck-device-lanes-'), 'timeline.png');
    await cli('diagnose', twoDevices(), '--timeline', png);
    expect(readFileSync(png).readUInt32BE(20)).toBe(timelineHeight(timelineModel(report).rows.length));
  });

  it("a provider log of two tokens: each copy of the app gets its own row, the refused token's apart", async () => {
    const model = timelineModel(await reportOf(twoTokens()));
    expect(rowsOf(model)).toEqual([
      ['push', 'token 1B3D…2E7F'],
      ['push', 'token 9A4C…9E0F'],
    ]);
    expect(marksOn(model, 'push', T2.toUpperCase())).toEqual(['10:01:01 410 Unregistered']);
  });

  it('events that name no device (the sysdiagnose device log, a plist) keep a row of their own beside the named devices', async () => {
    const bundle = sysdiagnose({ taken: '2026.11.20_10-40-00+0000', lastPollingSuccess: '2026-11-20T10:30:00Z' });
    const model = timelineModel(await reportOf(twoDevices(), bundle));
    const contact = rowsOf(model).filter(([lane]) => lane === 'contact');
    expect(contact).toEqual([['contact', 'no device named']]);
  });
});

describe('a busy server log', () => {
  /** Seven devices pushed a minute apart, each answered by its poll. */
  const udids = Array.from({ length: 7 }, (_, i) => `00008110-001A2C3E4F5080${i}E`);
  const busy = () =>
    file(
      'nanomdm.log',
      `${udids.flatMap((u, i) => [...nanoPush(nanoLib, `2026-11-20T10:0${i}:00`, u), ...nanoIdle(nanoLib, `2026-11-20T10:0${i}:02`, u)]).join('\n')}\n`,
    );

  it("keeps the case's device and three more on rows of their own; the rest share one row that says how many", async () => {
    const model = timelineModel(await reportOf(busy(), '--answer', `q.case.device=${udids[6]}`));
    expect(model.rows.filter((r) => r.lane === 'push').map((r) => r.label)).toEqual([
      'device 0000…806E (this case)',
      'device 0000…800E',
      'device 0000…801E',
      'device 0000…802E',
      '3 other devices',
    ]);
    expect(model.marks.filter((m) => m.lane === 'push' && m.device === model.rows[4]!.device)).toHaveLength(3);
  });
});

describe('an MDM server log of one device beside an app provider log of one token', () => {
  it('keeps its lanes unnamed: each lane holds one device (likely one phone)', async () => {
    const provider = file(
      'provider.log',
      `2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${T1} apns-topic=com.example.demo status=200\n`,
    );
    const model = timelineModel(await reportOf(answeredPushLog(UDID_A), provider));
    expect(model.rows).toEqual(model.lanes.map((lane) => ({ lane })));
    expect(model.lanes.slice(0, 2)).toEqual(['push', 'app_push']);
  });
});

describe('a case of one device', () => {
  it('is drawn as before, byte for byte: no device names beside the lanes', async () => {
    // SHA-256 of the SVGs before rows per device (same evidence, same report).
    const one = timelineSvg(await reportOf(answeredPushLog(UDID_A)))!;
    expect(createHash('sha256').update(one).digest('hex').slice(0, 16)).toBe(ONE_DEVICE_SVG);
    const model = timelineModel(await reportOf(answeredPushLog(UDID_A)));
    expect(model.rows).toEqual(model.lanes.map((lane) => ({ lane })));
    expect(model.marks.some((m) => m.device)).toBe(false);
  });
});

const ONE_DEVICE_SVG = 'f3092e735a9dd365';
