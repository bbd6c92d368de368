import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, goLog, logShow, nanoIdle, nanoLib, nanoPush, nanoTokenUpdate, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step: "did the device come back after the push that failed?" APNs answered the case's
 * push 410 Unregistered: it never went on to the device. The device polling the server twenty seconds
 * later is its own routine poll, not the push's answer; the 410 push is the failure, and the device's
 * contacts (or their absence) are judged against it.
 */

const refused = (t: string, udid: string) =>
  nanoLib(t, `level=info service=push msg=push id=${udid} err="push HTTP status: 410: APNs push error: Unregistered: timestamp 1764496800"`);

/** NanoLIB (UTC): a push at 09:00 answered at once, then at 10:00 APNs refuses the next one with 410. */
const serverLog = (after: string[]) =>
  file(
    'nanomdm.log',
    `${[
      ...nanoTokenUpdate(nanoLib, '2026-11-30T08:00:00', UDID_A),
      ...nanoPush(nanoLib, '2026-11-30T09:00:00', UDID_A),
      ...nanoIdle(nanoLib, '2026-11-30T09:00:02', UDID_A),
      refused('2026-11-30T10:00:00', UDID_A),
      ...after,
      ...nanoIdle(nanoLib, '2026-11-30T10:30:00', UDID_B),
    ].join('\n')}\n`,
  );

const run = (after: string[]) => diagnose(serverLog(after), '--now', '2026-11-30T11:00:00Z', '--answer', `q.case.device=${UDID_A}`);

describe('a push APNs refused with 410, and the device polling soon after', () => {
  it('the poll is not the push arriving: no "no fault found", the 410 push is the failure', async () => {
    const r = await run(nanoIdle(nanoLib, '2026-11-30T10:00:20', UDID_A));
    expect(r.headline).not.toMatch(/No fault found|arrived/);
    expect(facts(r, 'server.push_answered').map((f) => f.value)).toEqual([false]);
    expect(facts(r, 'case.failed_push_at').map((f) => f.value)).toEqual(['2026-11-30T10:00:00.000Z']);
    expect(facts(r, 'case.failed_push')[0]?.source).toMatch(/APNs refused/);
    for (const id of ['mdm.wrong_token', 'mdm.wrong_magic', 'mdm.wrong_topic', 'mdm.network']) expect(cause(r, id)?.status, id).not.toBe('ruled_out');
    // Still polling with its enrollment after the failure: the token APNs refused is one it no longer has.
    expect(facts(r, 'device.reached_mdm_server').map((f) => f.value)).toEqual(['2026-11-30T10:00:20.000Z']);
    expect(cause(r, 'mdm.wrong_token')?.status).toBe('likely');
    expect(r.filing.status).not.toBe('ready');
  });

  it('no contact after it: the poll before the 410 does not show the device reaching the server since', async () => {
    const r = await run([]);
    expect(facts(r, 'device.reached_mdm_server')).toEqual([]);
    expect(facts(r, 'case.failed_push_at').map((f) => f.value)).toEqual(['2026-11-30T10:00:00.000Z']);
    expect(cause(r, 'mdm.unenrolled')?.status).not.toBe('ruled_out');
  });

  it('an accepted push with the same poll after it is answered, as before', async () => {
    const r = await run([...nanoPush(nanoLib, '2026-11-30T10:00:10', UDID_A), ...nanoIdle(nanoLib, '2026-11-30T10:00:20', UDID_A)]);
    expect(facts(r, 'server.push_answered').map((f) => f.value)).toEqual([true]);
  });
});

describe("a 410 in a log without a zone, and the device's own log of commands an hour later (UTC)", () => {
  const server = () =>
    file(
      'nanomdm.log',
      `${goLog('2024-05-07T08:00:03', `level=info service=push msg=push id=${UDID_A} err="push HTTP status: 410: APNs push error: Unregistered: timestamp 1715060000000"`)}\n`,
    );
  const device = () =>
    file(
      'mdmclient.log',
      logShow([
        ['2024-05-07 09:15:02.118733+0000', 'mdmclient', '[com.apple.ManagedClient:MDMDaemon] Processing server request: DeviceInformation for: <Device>'],
        [
          '2024-05-07 09:15:02.418733+0000',
          'mdmclient',
          "[com.apple.ManagedClient:MDMDaemon] Received HTTP response (200) [Acknowledged(DeviceInformation):'0F6C2A31-91B4-4A52-8D3B-6E1C5A7B9D20'] - No more commands",
        ],
      ]),
    );

  it('the commands may predate the push (its zone is unknown): the device is not shown still enrolled', async () => {
    const r = await diagnose(server(), device());
    expect(cause(r, 'mdm.unenrolled')?.status).not.toBe('ruled_out');
    expect(cause(r, 'mdm.wiped')?.status).not.toBe('ruled_out');
    expect(r.notes.map((n: { id: string }) => n.id)).toContain('case.note.zone_less_times');
  });

  it("the server's zone said (UTC): the commands came after the 410, so the device still holds its enrollment", async () => {
    const r = await diagnose(server(), device(), '--answer', 'q.case.log_time_zone=UTC');
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('ruled_out');
  });

  it('in a zone five hours behind UTC the push came after the commands: nothing shows the device enrolled since', async () => {
    const r = await diagnose(server(), device(), '--answer', 'q.case.log_time_zone=-05:00');
    expect(cause(r, 'mdm.unenrolled')?.status).not.toBe('ruled_out');
  });
});

describe('a push the server logged as failed with no HTTP status (NanoMDM\'s err="Unregistered"), and a poll soon after', () => {
  const log = (err: string) =>
    file(
      'nanomdm.log',
      `${[
        ...nanoPush(nanoLib, '2026-11-30T09:00:00', UDID_A),
        ...nanoIdle(nanoLib, '2026-11-30T09:00:02', UDID_A),
        nanoLib('2026-11-30T10:00:00', `level=info service=push msg=push id=${UDID_A} err="${err}"`),
        ...nanoIdle(nanoLib, '2026-11-30T10:00:20', UDID_A),
        ...nanoIdle(nanoLib, '2026-11-30T10:30:00', UDID_B),
      ].join('\n')}\n`,
    );

  for (const err of ['Unregistered', 'no push info'])
    it(`err="${err}": the poll is not its answer, and nothing is called "no fault"`, async () => {
      const r = await diagnose(log(err), '--now', '2026-11-30T11:00:00Z', '--answer', `q.case.device=${UDID_A}`);
      expect(r.headline).not.toMatch(/No fault found/);
      expect(facts(r, 'server.push_answered').map((f) => f.value)).toEqual([false]);
      for (const id of ['mdm.wrong_token', 'mdm.wrong_magic', 'mdm.wrong_topic']) expect(cause(r, id)?.status, id).not.toBe('ruled_out');
    });
});
