import { describe, expect, it } from 'vitest';
import {
  cause,
  diagnose,
  facts,
  file,
  goLog,
  heldRules,
  logShow,
  nanoIdle,
  nanoLib,
  nanoPush,
  note,
  questionIds,
  SERIAL_A,
  TOPIC,
  UDID_A,
  UDID_B,
} from './evidence.js';

/**
 * Issue 8 item 1: "a push was answered" is judged per device and strictly in
 * order. Troubleshooting step: find the push in the server's log, then the
 * same device's next contact; only a contact after the push, from that
 * device, within the window, answers it.
 */

const PUSH_CAUSES = ['mdm.network', 'mdm.unenrolled', 'mdm.wiped', 'mdm.wrong_topic', 'mdm.wrong_token', 'mdm.wrong_magic', 'mdm.enrollment_race'];

describe('a NanoMDM log holding two devices, where only the other one answered', () => {
  // NanoLIB style (UTC ts=). The push goes to device A; a second later device B polls (its own push,
  // sent from another admin's script, is not in this excerpt); the log goes on for ten minutes.
  const log = file(
    'nanomdm.log',
    `${[
      ...nanoPush(nanoLib, '2024-05-06T09:00:00', UDID_A),
      ...nanoIdle(nanoLib, '2024-05-06T09:00:01', UDID_B),
      nanoLib(
        '2024-05-06T09:00:01',
        `level=info service=nanomdm status=Acknowledged id=${UDID_B} type=Device command_uuid=1d3c5e7a-9b0d-4f2e-8a6c-4e2d0b9f7a51`,
      ),
      ...nanoIdle(nanoLib, '2024-05-06T09:10:00', UDID_B),
    ].join('\n')}\n`,
  );

  it('asks which device the case is about instead of crediting either one', async () => {
    const r = await diagnose(log, '--topic', TOPIC);
    expect(questionIds(r)[0]).toBe('q.case.device');
    expect(facts(r, 'server.push_answered')).toEqual([]);
    expect(note(r, 'case.note.several_devices')?.text).toContain(UDID_A);
    expect(note(r, 'case.note.several_devices')?.text).toContain(UDID_B);
    for (const id of PUSH_CAUSES) expect(heldRules(cause(r, id))).not.toContain(`${id}.push_answered`);
  });

  it("once the device is named, its push is unanswered: B's Idle and Acknowledged are not A's", async () => {
    const r = await diagnose(log, '--topic', TOPIC, '--answer', `q.case.device=${UDID_A}`);
    expect(facts(r, 'server.push_answered').map((f) => [f.value, f.at, f.attrs.device])).toEqual([[false, '2024-05-06T09:00:00.000Z', UDID_A]]);
    expect(note(r, 'mdm.note.push_answered')).toBeUndefined();
    for (const id of PUSH_CAUSES) expect(cause(r, id)?.status).not.toBe('ruled_out');
    // A answered no command: B's answers are not A's, so no note says "the device answered MDM commands".
    expect(note(r, 'mdm.note.device_answers_commands')).toBeUndefined();
    expect(note(r, 'mdm.note.device_answers_commands_and_log')).toBeUndefined();
    expect(facts(r, 'mdm.command_answers')).toEqual([]);
  });

  it('the same log judged for B: its poll answers nothing, because no push to B is on record', async () => {
    const r = await diagnose(log, '--topic', TOPIC, '--answer', `q.case.device=${UDID_B}`);
    expect(facts(r, 'server.push_answered')).toEqual([]);
    // B's own answers are the note's, and only B is named in it.
    expect(note(r, 'mdm.note.device_answers_commands')?.text).toContain(`${UDID_B}: Acknowledged, Idle, latest at 2024-05-06T09:10:00.000Z`);
    expect(note(r, 'mdm.note.device_answers_commands')?.text).not.toContain(UDID_A);
  });

  it('before anyone says which device the case is about, the note names each device that answered, apart', async () => {
    const r = await diagnose(log, '--topic', TOPIC);
    expect(facts(r, 'mdm.command_answers').map((f) => f.attrs.device)).toEqual([UDID_B]);
  });
});

describe('a server log where two devices answered commands, and the case is about one of them', () => {
  // Both devices poll at different times; the note about command answers is the named device's alone.
  const log = file(
    'nanomdm-two.log',
    `${[
      ...nanoIdle(nanoLib, '2024-05-06T08:58:12', UDID_A),
      ...nanoPush(nanoLib, '2024-05-06T09:00:00', UDID_A),
      ...nanoIdle(nanoLib, '2024-05-06T09:00:03', UDID_B),
      ...nanoIdle(nanoLib, '2024-05-06T09:10:41', UDID_B),
    ].join('\n')}\n`,
  );

  it("naming A: the note lists A's answer with its time and says nothing of B's", async () => {
    const r = await diagnose(log, '--topic', TOPIC, '--answer', `q.case.device=${UDID_A}`);
    expect(facts(r, 'mdm.command_answers').map((f) => f.value)).toEqual([`${UDID_A}: Idle, latest at 2024-05-06T08:58:12.000Z`]);
    expect(note(r, 'mdm.note.device_answers_commands')?.text).not.toContain(UDID_B);
    expect(JSON.stringify(note(r, 'mdm.note.device_answers_commands')?.evidence)).not.toContain(UDID_B);
  });

  it("naming B: only B's answers", async () => {
    const r = await diagnose(log, '--topic', TOPIC, '--answer', `q.case.device=${UDID_B}`);
    expect(facts(r, 'mdm.command_answers').map((f) => f.value)).toEqual([`${UDID_B}: Idle, latest at 2024-05-06T09:10:41.000Z`]);
    expect(note(r, 'mdm.note.device_answers_commands')?.text).not.toContain(UDID_A);
  });
});

describe('one-second stamps: the order of the lines decides', () => {
  // NanoMDM with Go's log prefix: whole seconds, no zone. Device A polls on its own, and in the very
  // same second the admin pushes to it; then nothing from A while the log goes on.
  const lines = (idleFirst: boolean) => {
    const push = nanoPush(goLog, '2024-03-04T09:14:58', UDID_A);
    const idle = nanoIdle(goLog, '2024-03-04T09:14:58', UDID_A);
    return file(
      'nanomdm-go.log',
      `${[...(idleFirst ? [...idle, ...push] : [...push, ...idle]), goLog('2024-03-04T09:20:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`)].join('\n')}\n`,
    );
  };

  it('an Idle logged before the push line in the same second is not its answer', async () => {
    const r = await diagnose(lines(true), '--topic', TOPIC);
    expect(facts(r, 'server.push_answered').map((f) => f.value)).toEqual([false]);
    expect(heldRules(cause(r, 'mdm.wrong_topic'))).not.toContain('mdm.wrong_topic.push_answered');
  });

  it('the same Idle logged after the push line is', async () => {
    const r = await diagnose(lines(false), '--topic', TOPIC);
    expect(facts(r, 'server.push_answered').map((f) => f.value)).toEqual([true]);
    // The note names the device and the times.
    expect(note(r, 'mdm.note.push_answered')?.text).toContain(
      `${UDID_A} polled (Idle) at 2024-03-04T09:14:58.000Z (zone unknown), within a second after the push of 2024-03-04T09:14:58.000Z (zone unknown)`,
    );
  });
});

describe('a zone-less server log beside a device log with an offset', () => {
  // The server (Go log prefix) writes its local time, Berlin, UTC+1 in March; the device's
  // `log show` export carries +0100. The push at 10:14:58 server time is 09:14:58 UTC, and mdmclient
  // polled 1.4 s later.
  const server = file(
    'nanomdm-berlin.log',
    `${[...nanoPush(goLog, '2024-03-04T10:14:58', UDID_A), goLog('2024-03-04T10:30:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`)].join('\n')}\n`,
  );
  const device = file(
    'mdmclient.log',
    logShow([
      [
        '2024-03-04 10:14:59.412331+0100',
        'apsd',
        "[com.apple.apsd:courier] Received message for enabled topic 'com.apple.mgmt.External.6c2f4e1a-8b3d-4a5e-9f70-1d2c3b4a5e6f'",
      ],
      ['2024-03-04 10:14:59.801002+0100', 'mdmclient', '[com.apple.ManagedClient:MDMDaemon] Received HTTP response (200) [Idle]'],
    ]),
  );

  it('does not compare the two clocks: the answer stays open, the report names the zone-less times and asks for the zone first', async () => {
    const r = await diagnose(server, device, '--topic', TOPIC);
    expect(facts(r, 'server.push_answered')).toEqual([]);
    expect(questionIds(r)[0]).toBe('q.case.log_time_zone');
    const n = note(r, 'case.note.zone_less_times')?.text;
    expect(n).toContain('nanomdm-berlin.log (2024-03-04 10:14:58, no zone written)');
    expect(n).toContain('q.case.log_time_zone');
  });

  it('with the zone answered, the push is read as 09:14:58 UTC and the device answered it', async () => {
    const r = await diagnose(server, device, '--topic', TOPIC, '--answer', 'q.case.log_time_zone=Europe/Berlin');
    expect(facts(r, 'server.push_answered').map((f) => [f.value, f.at])).toEqual([[true, '2024-03-04T09:14:58.000Z']]);
    expect(facts(r, 'server.push_sent')[0].attrs).toMatchObject({ zone: '+01:00', zone_from: 'answer to q.case.log_time_zone' });
    expect(note(r, 'case.note.zone_less_times')).toBeUndefined();
    expect(questionIds(r)).not.toContain('q.case.log_time_zone');
  });

  it('a wrong zone is not silently fixed: read as UTC, the push comes an hour after the poll and was not answered', async () => {
    const r = await diagnose(server, device, '--topic', TOPIC, '--answer', 'q.case.log_time_zone=UTC');
    expect(facts(r, 'server.push_answered').map((f) => [f.value, f.at])).toEqual([[false, '2024-03-04T10:14:58.000Z']]);
  });

  it('an answer that is no zone is refused with a clear message', async () => {
    const r = await diagnose(server, device, '--answer', 'q.case.log_time_zone=Mars/Olympus');
    expect(r.problems).toContainEqual(expect.objectContaining({ code: 'answer.invalid', message: expect.stringContaining('q.case.log_time_zone') }));
  });
});

describe('a 100,000-line NanoMDM log', () => {
  it('is judged without overflowing the stack, and its last push, never answered, is the one that counts', async () => {
    const lines: string[] = [];
    const t0 = Date.UTC(2024, 2, 4, 6, 0, 0);
    const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19);
    let i = 0;
    while (lines.length < 100_000) {
      const t = t0 + i * 5000;
      lines.push(...nanoPush(nanoLib, stamp(t), UDID_A), ...nanoIdle(nanoLib, stamp(t + 1000), UDID_A));
      lines.push(
        nanoLib(
          stamp(t + 1000),
          `level=info service=nanomdm status=Acknowledged id=${UDID_A} type=Device command_uuid=6a1b2c3d-4e5f-4a6b-8c7d-${String(i).padStart(12, '0')}`,
        ),
      );
      i++;
    }
    const last = t0 + i * 5000;
    lines.push(...nanoPush(nanoLib, stamp(last), UDID_A), nanoLib(stamp(last + 120_000), `level=info service=push msg=retrieved push cert topic=${TOPIC}`));
    const r = await diagnose(file('nanomdm-100k.log', `${lines.join('\n')}\n`), '--topic', TOPIC);
    expect(facts(r, 'server.push_answered').map((f) => [f.value, f.at])).toEqual([[false, new Date(last).toISOString()]]);
    expect(facts(r, 'server.push_answered')[0].source).toMatch(new RegExp(`${i} of ${i + 1} pushes to it answered`));
  }, 120_000);
});

describe('two devices in one server log, named by something other than a UDID', () => {
  // Servers name a device by what they key it on: NanoMDM keys a User Enrollment by its EnrollmentID
  // (the device never reveals its UDID there); Fleet-like servers write the serial number beside the
  // host's UUID; others log only their own device id. The step is the same in each: find the push to
  // the device, then that same device's next contact. The other device polling a second later answers
  // nothing for this one.
  const ENROLLMENT_A = '6C1F9A3E-52D8-4B07-9E4A-D18B7C2F0E35';
  const ENROLLMENT_B = 'B7E20D4F-9A61-4C3B-8F25-4E0A9D3C1B68';
  const SERIAL_B = 'C02ZL4M1MD6T';
  const SERVER_A = 'dev_7f3a9c21e4b8';
  const SERVER_B = 'dev_2b8e5d10c7a4';
  const fleet = (t: string, o: Record<string, unknown>) => JSON.stringify({ level: 'info', ts: `${t}Z`, component: 'service', ...o });
  const plain = (t: string, rest: string) => `${t}Z INFO ${rest}`;

  const cases = [
    {
      by: 'EnrollmentID (a User Enrollment, NanoMDM)',
      name: 'nanomdm-user-enrollment.log',
      a: ENROLLMENT_A,
      b: ENROLLMENT_B,
      lines: [
        nanoLib('2024-05-06T09:00:00', `level=info handler=log addr=127.0.0.1 method=GET path=/v1/push/${ENROLLMENT_A} agent=curl/8.4.0`),
        nanoLib('2024-05-06T09:00:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`),
        nanoLib('2024-05-06T09:00:00', 'level=debug handler=push msg=push count=1 errs=0'),
        nanoLib('2024-05-06T09:00:01', 'level=info handler=log addr=::1 method=PUT path=/mdm agent=MDM/1.0 real_ip=198.51.100.7'),
        nanoLib('2024-05-06T09:00:01', `level=info service=nanomdm status=Idle id=${ENROLLMENT_B} type=User Enrollment (Device)`),
        nanoLib('2024-05-06T09:00:01', `level=debug service=nanomdm msg=no command retrieved id=${ENROLLMENT_B}`),
        nanoLib('2024-05-06T09:10:00', `level=info service=nanomdm status=Idle id=${ENROLLMENT_B} type=User Enrollment (Device)`),
      ],
    },
    {
      by: 'serial number (a Fleet-like JSON log writing the serial beside the host UUID)',
      name: 'fleet-mdm.jsonl',
      a: SERIAL_A,
      b: SERIAL_B,
      // The note names each device by its UDID, which the same lines carry.
      shown: [UDID_A, UDID_B],
      lines: [
        fleet('2024-05-06T09:00:00', {
          msg: 'push sent',
          udid: UDID_A,
          serial: SERIAL_A,
          topic: TOPIC,
          status: 200,
          apns_id: '5b0e7d1c-3f2a-4c8e-9a6b-1d2e3f4a5b6c',
        }),
        fleet('2024-05-06T09:00:01', { msg: 'mdm connect', udid: UDID_B, serial: SERIAL_B, status: 'Idle' }),
        fleet('2024-05-06T09:00:01', {
          msg: 'mdm connect',
          udid: UDID_B,
          serial: SERIAL_B,
          status: 'Acknowledged',
          command_uuid: '1d3c5e7a-9b0d-4f2e-8a6c-4e2d0b9f7a51',
        }),
        fleet('2024-05-06T09:10:00', { msg: 'mdm connect', udid: UDID_B, serial: SERIAL_B, status: 'Idle' }),
      ],
    },
    {
      by: "the server's own device id",
      name: 'mdm-server.log',
      a: SERVER_A,
      b: SERVER_B,
      lines: [
        plain('2024-05-06T09:00:00', `push sent device_id=${SERVER_A} topic=${TOPIC} status=200`),
        plain('2024-05-06T09:00:01', `device checked in device_id=${SERVER_B} status=Idle`),
        plain('2024-05-06T09:10:00', `device checked in device_id=${SERVER_B} status=Idle`),
      ],
    },
  ];

  describe.each(cases)('named by $by', ({ name, a, b, lines, ...c }) => {
    const shown = ('shown' in c && c.shown) || [a, b];
    const log = file(name, `${lines.join('\n')}\n`);

    it('asks which device the case is about instead of crediting either one', async () => {
      const r = await diagnose(log, '--topic', TOPIC);
      expect(questionIds(r)[0]).toBe('q.case.device');
      expect(facts(r, 'server.push_answered')).toEqual([]);
      for (const id of shown) expect(note(r, 'case.note.several_devices')?.text).toContain(id);
    });

    it("once the device is named by that id, its push stays unanswered: the other device's polls are not its answer", async () => {
      const r = await diagnose(log, '--topic', TOPIC, '--answer', `q.case.device=${a}`);
      expect(facts(r, 'server.push_answered').map((f) => [f.value, f.at])).toEqual([[false, '2024-05-06T09:00:00.000Z']]);
      expect(note(r, 'mdm.note.push_answered')).toBeUndefined();
      for (const id of PUSH_CAUSES) expect(heldRules(cause(r, id))).not.toContain(`${id}.push_answered`);
    });

    it('the same log judged for the other device: its polls answer nothing, because no push to it is on record', async () => {
      const r = await diagnose(log, '--topic', TOPIC, '--answer', `q.case.device=${b}`);
      expect(facts(r, 'server.push_answered')).toEqual([]);
    });
  });
});

describe("a log that names the device by the server's id on the push and by its UDID when it checks in", () => {
  // The admin's push API takes the server's own id; the device's check-ins carry its UDID; the line the
  // server wrote when the device enrolled names both. Both names are the same device, so its poll a
  // second later answers the push, and nobody needs to be asked which device this is.
  const SERVER_ID = 'dev_7f3a9c21e4b8';
  const plain = (t: string, rest: string) => `${t}Z INFO ${rest}`;
  const log = file(
    'mdm-server-ids.log',
    `${[
      plain('2024-05-06T08:00:00', `device enrolled msg=TokenUpdate udid=${UDID_A} device_id=${SERVER_ID}`),
      plain('2024-05-06T09:00:00', `push sent device_id=${SERVER_ID} topic=${TOPIC} status=200`),
      plain('2024-05-06T09:00:01', `device checked in udid=${UDID_A} status=Idle`),
      plain('2024-05-06T09:10:00', `device checked in udid=${UDID_B} status=Idle`),
    ].join('\n')}\n`,
  );

  it('credits the poll to the push, naming the device by its UDID', async () => {
    const r = await diagnose(log, '--topic', TOPIC, '--answer', `q.case.device=${SERVER_ID}`);
    expect(facts(r, 'server.push_answered').map((f) => [f.value, f.attrs.device])).toEqual([[true, UDID_A]]);
    expect(note(r, 'mdm.note.push_answered')?.text).toContain(`${UDID_A} polled (Idle) at 2024-05-06T09:00:01.000Z`);
  });

  it("the device named by its UDID is the same device: the server id's push is its push", async () => {
    const r = await diagnose(log, '--topic', TOPIC, '--answer', `q.case.device=${UDID_A}`);
    expect(facts(r, 'server.push_answered').map((f) => f.value)).toEqual([true]);
  });

  it('the other device in the log is still another device: it is asked which one the case is about', async () => {
    const r = await diagnose(log, '--topic', TOPIC);
    expect(questionIds(r)[0]).toBe('q.case.device');
    expect(note(r, 'case.note.several_devices')?.text).toContain(UDID_A);
    expect(note(r, 'case.note.several_devices')?.text).not.toContain(SERVER_ID);
  });
});
