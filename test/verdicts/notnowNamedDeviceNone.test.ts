import { describe, expect, it } from 'vitest';
import { cause, diagnose, file, nanoLib } from './evidence.js';

/**
 * Troubleshooting step (seed 002, Overview): "did the device answer NotNow?". One NanoMDM log (NanoLIB's
 * UTC `ts=`, one-second stamps shared by both devices) of two iPhones handed the same InstallProfile: A put
 * it off with NotNow, B acknowledged it. The case is about B. A's NotNow is A's: with B named, nothing in
 * the log says B answered NotNow, so the user's answer that B was not unlocked since its restart confirms
 * nothing about NotNow.
 */
const A = '00008110-001A2C3E4F50801E';
const B = '00008101-000D3A5C7E90401E';

const status = (t: string, udid: string, s: string, uuid?: string) =>
  nanoLib(t, `level=info service=nanomdm id=${udid} type=Device status=${s}${uuid ? ` command_uuid=${uuid}` : ''} caller=service.go:215`);
const retrieved = (t: string, udid: string, uuid: string, rt: string) =>
  nanoLib(t, `level=debug service=nanomdm id=${udid} type=Device msg=command retrieved command_uuid=${uuid} request_type=${rt} caller=service.go:227`);
const none = (t: string, udid: string) => nanoLib(t, `level=debug service=nanomdm id=${udid} type=Device msg=no command retrieved caller=service.go:233`);

const log = file(
  'nanomdm.log',
  `${[
    status('2024-03-04T09:14:59', A, 'Idle'),
    retrieved('2024-03-04T09:14:59', A, 'aaaa1111-2f0a-4d6b-a8e3-51c2d7f0b6aa', 'InstallProfile'),
    status('2024-03-04T09:14:59', B, 'Idle'),
    retrieved('2024-03-04T09:14:59', B, 'bbbb2222-2f0a-4d6b-a8e3-51c2d7f0b6aa', 'InstallProfile'),
    status('2024-03-04T09:15:00', A, 'NotNow', 'aaaa1111-2f0a-4d6b-a8e3-51c2d7f0b6aa'),
    none('2024-03-04T09:15:00', A),
    status('2024-03-04T09:15:00', B, 'Acknowledged', 'bbbb2222-2f0a-4d6b-a8e3-51c2d7f0b6aa'),
    none('2024-03-04T09:15:00', B),
  ].join('\n')}\n`,
);
const answers = ['--answer', 'q.notnow.unlocked_since_boot=no', '--answer', 'q.notnow.platform=ios'];

describe("a server log where another device answered NotNow, the case's device acknowledged", () => {
  it("B named: A's NotNow does not confirm that B was turned down before its first unlock", async () => {
    const r = await diagnose(log, '--answer', `q.case.device=${B}`, ...answers);
    expect(cause(r, 'notnow.before_first_unlock')?.status).toBe('ruled_out');
  });

  it('A named: its own NotNow with the same answers still confirms it', async () => {
    const r = await diagnose(log, '--answer', `q.case.device=${A}`, ...answers);
    expect(cause(r, 'notnow.before_first_unlock')?.status).toBe('confirmed');
  });
});

describe('the case names a device this log never mentions', () => {
  it("another device's NotNow neither confirms nor rules out that the named device was turned down", async () => {
    const r = await diagnose(log, '--answer', 'q.case.device=00008030-000A1B2C3D4E5F60', ...answers);
    expect(cause(r, 'notnow.before_first_unlock')?.status).not.toMatch(/confirmed|ruled_out/);
  });
});

describe('both devices in the log and neither named yet', () => {
  it("A's NotNow does not confirm the case's device was turned down: it may be B, which acknowledged", async () => {
    const r = await diagnose(log, ...answers);
    expect(cause(r, 'notnow.before_first_unlock')?.status).not.toMatch(/confirmed|ruled_out/);
  });
});
