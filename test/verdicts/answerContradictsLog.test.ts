import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { diagnose, file, microPush, sysdiagnose, UDID_A, serverValues, mdmPushCert } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer the push?" The engineer answers 410 (read off the MDM
 * console), while the server's own log shows APNs accepting every push to the device with 200. One of the
 * two is about another push, or wrong: the report says they disagree, and nothing goes to Apple until it is
 * settled (a draft would tell Apple either a refused push was accepted, or drop what the engineer said).
 */

const cert = () => mdmPushCert();
const log = () =>
  file(
    'micromdm.log',
    `${[
      microPush('2024-05-07T08:00:03.118204', UDID_A, '4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B'),
      microPush('2024-05-07T08:15:00.771349', UDID_A, '5F2A8B3C-0D4E-4F6A-9B7C-8D9E0F1A2B3C'),
    ].join('\n')}\n`,
  );
const bundle = () => sysdiagnose({ taken: '2024.05.07_09-02-00+0000', lastPollingSuccess: '2024-05-07T08:40:11Z', installed: '2023-05-02T10:00:00Z' });
const CASE = () => [
  bundle(),
  log(),
  cert(),
  ...serverValues('2024-05-07T10:00:00Z'),
  '--answer',
  'q.mdm.network_ok=yes',
  '--answer',
  `q.case.device=${UDID_A}`,
];

describe("an answer on APNs's answer that the server's log contradicts", () => {
  it('the log alone: one for Apple (the case the check below changes)', async () => {
    expect((await diagnose(...CASE())).filing.status).toBe('ready');
  });

  it('the same answer as the log: still one for Apple', async () => {
    expect((await diagnose(...CASE(), '--answer', 'q.mdm.push_status=200')).filing.status).toBe('ready');
  });

  it('410 against the logged 200s: the disagreement is reported and nothing goes to Apple', async () => {
    const r = await diagnose(...CASE(), '--answer', 'q.mdm.push_status=410');
    expect(r.conflicts.map((k: { fact: string }) => k.fact)).toContain('server.push_status');
    expect(r.escalation).toBeNull();
    expect(r.filing.status).toBe('values_conflict');
    expect(r.headline).toMatch(/disagree/);
    const fb = await cli('feedback', ...CASE(), '--answer', 'q.mdm.push_status=410');
    expect(fb.out).toBe('');
    expect(fb.err).toMatch(/disagree/);
  });
});
