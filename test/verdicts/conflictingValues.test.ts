import { describe, expect, it } from 'vitest';
import { cause, diagnose, file, microPush, OLD_MAGIC, sysdiagnose, UDID_A, serverValues, mdmPushCert } from './evidence.js';

/**
 * Troubleshooting step: "does the server push with the PushMagic (topic, token) the device expects?" When
 * two sources the engineer gave disagree on the server's value (the value pasted with --magic, and an
 * answer naming another), the comparison cannot be made until one is settled: one matching value beside a
 * differing one rules nothing out, and a case with that question open is not one for Apple.
 */

const cert = mdmPushCert();
/** MicroMDM's pushes to the device; it never came (its last poll, in the sysdiagnose, is later). */
const log = file(
  'micromdm.log',
  `${[
    microPush('2024-05-07T08:00:03.118204', UDID_A, '4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B'),
    microPush('2024-05-07T08:15:00.771349', UDID_A, '5F2A8B3C-0D4E-4F6A-9B7C-8D9E0F1A2B3C'),
  ].join('\n')}\n`,
);
const bundle = () => sysdiagnose({ taken: '2024.05.07_09-02-00+0000', lastPollingSuccess: '2024-05-07T08:40:11Z', installed: '2023-05-02T10:00:00Z' });
const SERVER = [...serverValues('2024-05-07T10:00:00Z'), '--answer', 'q.mdm.network_ok=yes', '--answer', `q.case.device=${UDID_A}`];

describe('every cause ruled out on values the engineer pasted', () => {
  it('is one for Apple (the case the checks below change)', async () => {
    const r = await diagnose(bundle(), log, cert, ...SERVER);
    expect(r.filing.status).toBe('ready');
  });

  it('an answer naming another PushMagic than the one pasted: the wrong magic is not ruled out, nothing goes to Apple', async () => {
    const r = await diagnose(bundle(), log, cert, ...SERVER, '--answer', `q.mdm.server_magic=${OLD_MAGIC}`);
    expect(r.conflicts.map((k: { fact: string }) => k.fact)).toContain('server.push_magic');
    expect(cause(r, 'mdm.wrong_magic')?.status).not.toBe('ruled_out');
    expect(r.escalation).toBeNull();
    expect(r.headline).not.toMatch(/one for Apple/);
  });

  it("an answer naming another token than the one pasted: the device's token hash rules nothing out", async () => {
    const other = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';
    const r = await diagnose(bundle(), log, cert, ...SERVER, '--answer', `q.mdm.server_token=${other}`);
    expect(cause(r, 'mdm.wrong_token')?.status).not.toBe('ruled_out');
    expect(r.escalation).toBeNull();
  });
});
