import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, goLog, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "was NotNow the device's last word on its connection?"
 * One NanoMDM log (Go log prefix: local time to the second, no zone) holds two
 * Macs answering NotNow within the same second. After Mac A's NotNow the server
 * had nothing more for it, so A polls again by itself; after Mac B's NotNow
 * the server handed B another command, which B acknowledged, so B will not come
 * back on its own. What happened on B's connection says nothing about A's.
 */

const A = '5A2F6C1E-3B7D-5E90-8C41-0D2E7A9B1F34';
const B = '7C3E9D2F-1A2B-5C3D-9E4F-5A6B7C8D9E0F';
const CMD_A = 'aaaa1111-2f0a-4d6b-a8e3-51c2d7f0b6aa';
const CMD_B = 'bbbb2222-2f0a-4d6b-a8e3-51c2d7f0b6aa';
const CMD_B2 = 'cccc3333-7b3f-4e8a-9d60-2f1b8c7a5e03';

const enqueue = (t: string, udid: string, uuid: string, rt: string) => [
  goLog(t, `level=info handler=log addr=127.0.0.1 method=PUT path=/v1/enqueue/${udid} agent=curl/8.4.0`),
  goLog(t, `level=debug handler=enqueue msg=enqueue command_uuid=${uuid} request_type=${rt} id_count=1 id_first=${udid}`),
  goLog(t, 'level=debug handler=enqueue msg=push count=1'),
];
const status = (t: string, udid: string, s: string, uuid?: string) =>
  goLog(t, `level=info service=nanomdm status=${s} id=${udid} type=Device${uuid ? ` command_uuid=${uuid}` : ''}`);

const log = file(
  'nanomdm.log',
  `${[
    ...enqueue('2024-03-04 09:14:58', A, CMD_A, 'InstallProfile'),
    ...enqueue('2024-03-04 09:14:58', B, CMD_B, 'InstalledApplicationList'),
    status('2024-03-04 09:14:59', A, 'Idle'),
    status('2024-03-04 09:14:59', B, 'Idle'),
    status('2024-03-04 09:15:00', A, 'NotNow', CMD_A),
    status('2024-03-04 09:15:00', B, 'NotNow', CMD_B),
    goLog('2024-03-04 09:15:00', `level=debug service=nanomdm msg=no command retrieved id=${A}`),
    goLog('2024-03-04 09:15:00', `level=debug service=nanomdm msg=command retrieved id=${B} command_uuid=${CMD_B2} request_type=DeviceInformation`),
    status('2024-03-04 09:15:01', B, 'Acknowledged', CMD_B2),
  ].join('\n')}\n`,
);

describe('NotNow from two devices in one server log', () => {
  it('the log reads a NotNow per device, each followed or not on its own connection', async () => {
    const r = await diagnose(log);
    expect(facts(r, 'notnow.followed_on_same_connection').map((f) => [f.attrs.udid, f.value])).toEqual(
      expect.arrayContaining([
        [A, false],
        [B, true],
      ]),
    );
    expect(questionIds(r)).toContain('q.case.device');
  });

  it("with neither named, what followed on one device's connection confirms nothing yet: it asks which device first", async () => {
    const r = await diagnose(log);
    expect(questionIds(r)[0]).toBe('q.case.device');
    expect(cause(r, 'notnow.poll_suppressed')?.status).not.toBe('confirmed');
  });

  it("for Mac A, whose NotNow was its last word, B's connection does not confirm that the server kept talking", async () => {
    const r = await diagnose(log, '--answer', `q.case.device=${A}`);
    expect(cause(r, 'notnow.poll_suppressed')?.status).toBe('ruled_out');
  });

  it('for Mac B, whose NotNow the server talked over, it is confirmed', async () => {
    const r = await diagnose(log, '--answer', `q.case.device=${B}`);
    expect(cause(r, 'notnow.poll_suppressed')?.status).toBe('confirmed');
  });
});

describe('the same log with its HTTP access lines filtered out (grep -v handler=log), as engineers often paste it', () => {
  const grepped = file(
    'nanomdm-grepped.log',
    `${readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => !l.includes('handler=log'))
      .join('\n')}`,
  );

  it("still reads each push as the device's: the enqueue line just before names it", async () => {
    const r = await diagnose(grepped);
    expect(facts(r, 'server.push_sent').map((f) => [f.attrs.udid, f.attrs.status])).toEqual([
      [A, '200'],
      [B, '200'],
    ]);
    expect(r.problems.map((p: { code: string }) => p.code)).not.toContain('mdmlog.incomplete_lines');
  });
});
