import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose, facts, file, nanoIdle, nanoLib, nanoPush, nanoTokenUpdate, questionIds, UDID_B } from './evidence.js';

/**
 * The engineer attaches a device's TokenUpdate (as the MDM server stored it) and the server's log, but
 * the log's pushes and polls are all another device's. The log's device is then not "the only device
 * the evidence names": its answered pushes say nothing of the device whose check-in is on the table,
 * and the case asks which device it is about instead of judging one device by the other's answers.
 */

/** TokenUpdate of iPhone 00008110-000A1C2E3F40801E (test/fixtures/mdm/server). */
const checkin = fileURLToPath(new URL('../fixtures/mdm/server/TokenUpdate_iPhone.plist', import.meta.url));
const CHECKIN_UDID = '00008110-000A1C2E3F40801E';

const otherDevicesLog = () =>
  file(
    'nanomdm.log',
    `${[
      ...nanoTokenUpdate(nanoLib, '2026-11-20T09:00:00', UDID_B),
      ...nanoPush(nanoLib, '2026-11-20T10:00:00', UDID_B),
      ...nanoIdle(nanoLib, '2026-11-20T10:00:02', UDID_B),
    ].join('\n')}\n`,
  );

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
