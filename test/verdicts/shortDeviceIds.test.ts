import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, goLog, jamfAnswered, jamfSending, note, questionIds, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step: "which device is this case about?", answered with the id the server's own console and
 * log use. A server names its devices by ids of its own, often short (`device_id=A1`; Jamf Pro's "computer id 42",
 * "mobile device id 7"), and its log may name a device by nothing else. Such an id names the device when the
 * log uses it; a word ("yes") or a lone letter never does, and an id the evidence does not hold names no device:
 * the report says so instead of crediting anyone's pushes to the case. Every value below is made up.
 */

/** A server log (Go's prefix: local time, to the second, no zone) whose first line joins A1 to its UDID (its TokenUpdate) and whose devices are named by the server's short ids. */
const shortIdLog = (...lines: [time: string, rest: string][]) =>
  file(
    'mdm-server.log',
    `${[[`2026-11-30T09:00:00`, `level=info service=nanomdm msg=TokenUpdate udid=${UDID_A} device_id=A1 type=Device`], ...lines].map(([t, rest]) => goLog(t, rest)).join('\n')}\n`,
  );
const serverLog = () =>
  shortIdLog(
    ['2026-11-30T10:00:00', 'level=info msg=push device_id=A1 status=200'],
    ['2026-11-30T10:00:00', 'level=info msg=push device_id=B7 status=200'],
    ['2026-11-30T10:00:02', 'level=info service=nanomdm status=Idle device_id=B7 type=Device'],
    // A line whose device the server did not know: no device at all.
    ['2026-11-30T10:05:00', 'level=info service=nanomdm status=Idle device_id=none type=Device'],
    ['2026-11-30T10:30:00', 'level=info service=nanomdm status=Idle device_id=B7 type=Device'],
  );
const named = (id: string) => diagnose(serverLog(), '--answer', `q.case.device=${id}`);

describe('a server log that names devices by short ids of its own', () => {
  it('keeps them apart as devices, and a "device_id=none" names none', async () => {
    const r = await diagnose(serverLog());
    expect(facts(r, 'case.device_unresolved').map((f) => f.value)).toEqual([`${UDID_A}, B7`]);
    expect(questionIds(r)[0]).toBe('q.case.device');
  });

  it('answered A1: the device the log calls A1 (its UDID from the TokenUpdate), whose push nothing answered', async () => {
    const r = await named('A1');
    expect(facts(r, 'case.device').map((f) => [f.value, f.attrs.udid, f.attrs.device_id])).toEqual([[UDID_A, UDID_A, 'A1']]);
    expect(questionIds(r)).not.toContain('q.case.device');
    expect(facts(r, 'server.push_answered').map((f) => f.value)).toEqual([false]);
    expect(note(r, 'case.note.device_not_found')).toBeUndefined();
  });

  it('answered B7: its own poll answers its push', async () => {
    const r = await named('B7');
    expect(facts(r, 'server.push_answered').map((f) => f.value)).toEqual([true]);
  });
});

describe('answers that name no device', () => {
  for (const garbage of ['yes', 'x', '0'])
    it(`"${garbage}" is refused, and the case still asks which device`, async () => {
      const r = await named(garbage);
      expect(r.problems.map((p: { code: string }) => p.code)).toContain('answer.invalid');
      expect(questionIds(r)[0]).toBe('q.case.device');
    });

  it('C9, which the log never writes: the report says it matches no device, and credits no one’s pushes to it', async () => {
    const r = await named('C9');
    expect(note(r, 'case.note.device_not_found')?.text).toMatch(/C9 \(the evidence names 00008110-001A2C3E4F50801E, B7\), is not a device the evidence names/);
    expect(facts(r, 'server.push_answered')).toEqual([]);
    expect(cause(r, 'mdm.network')?.status).not.toBe('ruled_out');
  });

  it('a full UDID the log does not hold: said the same way', async () => {
    const r = await named(UDID_B);
    expect(note(r, 'case.note.device_not_found')).toBeDefined();
  });
});

/** Jamf Pro's log: iPhone 7 and iPhone 412 by Jamf's mobile device ids, a Mac by its computer id 42. */
const MAC_UDID = '5D3F1A2B-8C4E-5F60-9A7B-1C2D3E4F5A6B';
const jamfLog = (macId = '42') =>
  file(
    'JAMFSoftwareServer.log',
    `${[
      jamfSending('2024-05-07 08:00:03,117', 'Device ID: 412', UDID_A),
      jamfAnswered('2024-05-07 08:00:03,741', 'Device ID: 412', UDID_A, '200'),
      jamfSending('2024-05-07 08:00:04,117', 'Device ID: 7', UDID_B),
      jamfSending('2024-05-07 08:00:05,117', `Computer ID: ${macId}`, MAC_UDID),
      jamfSending('2024-05-07 08:40:00,004', 'Device ID: 412', UDID_A),
    ].join('\n')}\n`,
  );
const caseDevice = async (log: string, answer: string) => facts(await diagnose(log, '--answer', `q.case.device=${answer}`), 'case.device').map((f) => f.value);

describe("Jamf Pro's ids, as its console shows them", () => {
  it('"mobile device id 7", "Mobile Device ID: 7" and a bare 7 name the iPhone Jamf calls 7', async () => {
    for (const answer of ['mobile device id 7', 'Mobile Device ID: 7', '7']) expect(await caseDevice(jamfLog(), answer), answer).toEqual([UDID_B]);
  });

  it('"computer id 42" names the Mac', async () => {
    expect(await caseDevice(jamfLog(), 'computer id 42')).toEqual([MAC_UDID]);
  });

  it('"computer id 7" (no such Mac in the log) names no device, and the report says so', async () => {
    const r = await diagnose(jamfLog(), '--answer', 'q.case.device=computer id 7');
    expect(facts(r, 'case.device').map((f) => f.value)).toEqual(['computer-7']);
    expect(note(r, 'case.note.device_not_found')).toBeDefined();
  });

  it('a bare 7 when an iPhone and a Mac are both 7: neither is taken, and the report says the id is several devices’', async () => {
    const r = await diagnose(jamfLog('7'), '--answer', 'q.case.device=7');
    expect(note(r, 'case.note.device_not_found')?.text).toMatch(/7 \(the id of /);
    expect(facts(r, 'case.failed_push')).toEqual([]);
  });
});

/**
 * "Does the server hold push details for this device?" A server that names devices by short ids says which one
 * it holds none for the same way (`no push info found for device_id=B7`): that is B7's problem, not A1's.
 */
describe('a "no push info" line naming a device by its short id', () => {
  const log = () =>
    shortIdLog(
      ['2026-11-30T10:00:00', 'level=info msg=push device_id=A1 status=200'],
      ['2026-11-30T10:00:02', 'level=info service=nanomdm status=Idle device_id=A1 type=Device'],
      ['2026-11-30T10:01:00', 'level=warn msg=push device_id=B7 err="no push info found for device_id=B7"'],
      ['2026-11-30T10:30:00', 'level=info service=nanomdm status=Idle device_id=A1 type=Device'],
    );

  it('is the case’s when the case is B7', async () => {
    const r = await diagnose(log(), '--answer', 'q.case.device=B7');
    expect(cause(r, 'mdm.no_push_info')?.status).toBe('confirmed');
  });

  it('is not A1’s: A1’s answered push stands, and no missing push details are put on it', async () => {
    const r = await diagnose(log(), '--answer', 'q.case.device=A1');
    // Its TokenUpdate is stored: the server holds A1's push details.
    expect(cause(r, 'mdm.no_push_info')?.status).toBe('ruled_out');
  });
});
