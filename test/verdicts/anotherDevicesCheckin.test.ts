import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  cause,
  diagnose,
  facts,
  file,
  MAGIC,
  nanoIdle,
  nanoLib,
  nanoPush,
  note,
  OLD_MAGIC,
  questionIds,
  UDID_A,
  UDID_B,
  webhookTokenUpdate,
  answeredPushLog,
} from './evidence.js';

/**
 * The engineer attaches a device's TokenUpdate (as the MDM server stored it) and the server's log, but
 * the log's pushes and polls are all another device's. The log's device is then not "the only device
 * the evidence names": its answered pushes say nothing of the device whose check-in is on the table,
 * and the case asks which device it is about instead of judging one device by the other's answers.
 */

/** TokenUpdate of iPhone 00008110-000A1C2E3F40801E (test/fixtures/mdm/server). */
const checkin = fileURLToPath(new URL('../fixtures/mdm/server/TokenUpdate_iPhone.plist', import.meta.url));
const CHECKIN_UDID = '00008110-000A1C2E3F40801E';

const otherDevicesLog = () => answeredPushLog(UDID_B);

describe("a device's check-in beside a server log of another device", () => {
  it("asks which device the case is about instead of taking the log's device as the only one", async () => {
    const r = await diagnose(checkin, otherDevicesLog());
    expect(facts(r, 'case.device')).toEqual([]);
    expect(questionIds(r)[0]).toBe('q.case.device');
  });

  it("judges the check-in's device alone once it is named: the other device's answered push proves nothing for it", async () => {
    const r = await diagnose(checkin, otherDevicesLog(), '--answer', `q.case.device=${CHECKIN_UDID}`);
    expect(facts(r, 'case.device').map((f) => f.value)).toEqual([CHECKIN_UDID]);
    expect(facts(r, 'server.push_answered').filter((f) => f.value === true)).toEqual([]);
  });

  it("with the check-in and the log of the same device, that device is the case's without asking", async () => {
    const sameDevice = file(
      'nanomdm.log',
      `${[...nanoPush(nanoLib, '2026-11-20T10:00:00', CHECKIN_UDID), ...nanoIdle(nanoLib, '2026-11-20T10:00:02', CHECKIN_UDID)].join('\n')}\n`,
    );
    const r = await diagnose(checkin, sameDevice);
    expect(facts(r, 'case.device').map((f) => f.value)).toEqual([CHECKIN_UDID]);
    expect(questionIds(r)).not.toContain('q.case.device');
  });
});

describe('check-ins and command results of several devices, none with a time', () => {
  const server = (p: string) => fileURLToPath(new URL(`../fixtures/mdm/server/${p}`, import.meta.url));

  it("an iPhone's TokenUpdate and a Mac's: asks which device, instead of mixing their PushMagics into one", async () => {
    const r = await diagnose(checkin, server('TokenUpdate_Mac.plist'));
    expect(questionIds(r)[0]).toBe('q.case.device');
  });

  it("once the case is named as the Mac, the push details shown are the Mac's TokenUpdate's alone", async () => {
    const r = await diagnose(checkin, server('TokenUpdate_Mac.plist'), '--answer', 'q.case.device=5D3F1A2B-8C4E-5F60-9A7B-1C2D3E4F5A6B');
    const shown = JSON.stringify(note(r, 'mdm.note.token_update_values'));
    expect(shown).toContain('B81F4C62-0D7E-4A93-8E15-62C3F9A7D0E4');
    expect(shown).not.toContain('9E47B2D1-3C5A-4F08-B6E2-7D19A0C4F385');
  });

  it("a Mac's Authenticate, TokenUpdate and command result are one device: nothing to ask", async () => {
    const r = await diagnose(server('Authenticate_Mac.plist'), server('TokenUpdate_Mac.plist'), server('DeviceInformation_Acknowledged.plist'));
    expect(questionIds(r)).not.toContain('q.case.device');
  });

  it("a timed webhook TokenUpdate of one device beside another device's check-in plist: asks which device", async () => {
    const r = await diagnose(server('webhook_TokenUpdate.json'), checkin);
    expect(facts(r, 'case.device')).toEqual([]);
    expect(questionIds(r)[0]).toBe('q.case.device');
  });
});

describe('a timed webhook check-in of one device beside a server log of another', () => {
  it("asks which device the case is about instead of joining the check-in to the log's device", async () => {
    const r = await diagnose(webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T09:30:00.412Z', tally: 2 }), otherDevicesLog());
    expect(facts(r, 'case.device')).toEqual([]);
    expect(questionIds(r)[0]).toBe('q.case.device');
    // Neither device's pushes are judged while the case has no device.
    expect(facts(r, 'server.push_answered').filter((f) => f.value === true)).toEqual([]);
    // Nor is the check-in's PushMagic or token held against the other device's answered push.
    for (const id of ['mdm.wrong_magic', 'mdm.wrong_token', 'mdm.unenrolled']) expect(cause(r, id)?.status, id).toBe('open');
  });

  it("judges the check-in's device alone once it is named: the other device's answered push proves nothing for it", async () => {
    const r = await diagnose(
      webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T09:30:00.412Z', tally: 2 }),
      otherDevicesLog(),
      '--answer',
      `q.case.device=${UDID_A}`,
    );
    expect(facts(r, 'case.device').map((f) => f.value)).toEqual([UDID_A]);
    expect(facts(r, 'server.push_answered').filter((f) => f.value === true)).toEqual([]);
    expect(questionIds(r)).not.toContain('q.case.device');
  });

  it("judges the log's device alone once it is named: its check-in values are not the webhook's", async () => {
    const r = await diagnose(
      webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T09:30:00.412Z', tally: 2 }),
      otherDevicesLog(),
      '--answer',
      `q.case.device=${UDID_B}`,
    );
    expect(facts(r, 'case.device').map((f) => f.value)).toEqual([UDID_B]);
    expect(questionIds(r)).not.toContain('q.case.device');
    // The push details the webhook's TokenUpdate gave are the other device's: not shown as this case's.
    expect(JSON.stringify(note(r, 'mdm.note.token_update_values') ?? {})).not.toContain(MAGIC);
  });

  it("never holds the other device's check-in PushMagic against the case device's own", async () => {
    const r = await diagnose(
      webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T09:30:00.412Z', magic: OLD_MAGIC, tally: 2 }),
      otherDevicesLog(),
      '--answer',
      `q.case.device=${UDID_B}`,
      '--answer',
      `q.mdm.device_magic=${MAGIC}`,
    );
    expect(cause(r, 'mdm.wrong_magic')?.status).not.toBe('confirmed');
    expect(cause(r, 'mdm.wrong_token')?.status).not.toBe('confirmed');
  });

  it("still compares the case device's own check-in PushMagic with its own", async () => {
    const r = await diagnose(
      webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-20T09:30:00.412Z', magic: OLD_MAGIC, tally: 2 }),
      otherDevicesLog(),
      '--answer',
      `q.case.device=${UDID_A}`,
      '--answer',
      `q.mdm.device_magic=${MAGIC}`,
    );
    expect(cause(r, 'mdm.wrong_magic')?.status).toBe('confirmed');
  });

  it("with the webhook check-in and the log of the same device, that device is the case's without asking", async () => {
    const r = await diagnose(webhookTokenUpdate({ udid: UDID_B, createdAt: '2026-11-20T09:30:00.412Z', tally: 2 }), otherDevicesLog());
    expect(facts(r, 'case.device').map((f) => f.value)).toEqual([UDID_B]);
    expect(questionIds(r)).not.toContain('q.case.device');
  });
});
