import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose, facts, file, goLog, note, questionIds, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step: "which device is this case about?" A device may be named only by a check-in saved on its
 * own (no time) or by a line without a time. An answer that names none of the evidence's devices is said so, as
 * for a log's devices; and a device the server names by its short id in such a line is one of those offered.
 */

const checkin = fileURLToPath(new URL('../fixtures/mdm/server/TokenUpdate_iPhone.plist', import.meta.url));
const CHECKIN_UDID = '00008110-000A1C2E3F40801E';
const NOT_FOUND = 'case.note.device_not_found';

describe('a device named only by a check-in saved on its own', () => {
  it('an answer naming another device: the report says it matches none of the evidence, and which it names', async () => {
    const r = await diagnose(checkin, '--answer', `q.case.device=${UDID_B}`);
    expect(note(r, NOT_FOUND)?.text).toContain(CHECKIN_UDID);
  });

  it("an answer naming the check-in's device: no such note", async () => {
    const r = await diagnose(checkin, '--answer', `q.case.device=${CHECKIN_UDID}`);
    expect(note(r, NOT_FOUND)).toBeUndefined();
  });
});

describe("a device named only by the server's short id, in a line without a time", () => {
  const logs = () => [
    file('untimed.log', 'level=info service=nanomdm status=Idle device_id=B7 type=Device\n'),
    file(
      'nanomdm.log',
      `${[
        goLog('2026-11-30T09:00:00', `level=info service=nanomdm msg=TokenUpdate udid=${UDID_A} device_id=A1 type=Device`),
        goLog('2026-11-30T10:00:00', 'level=info msg=push device_id=A1 status=200'),
      ].join('\n')}\n`,
    ),
  ];

  it('is one of the devices the case offers to choose from', async () => {
    const r = await diagnose(...logs());
    expect(facts(r, 'case.device').map((f) => f.value)).toEqual([]);
    expect(facts(r, 'case.device_unresolved').map((f) => f.value)).toEqual([`${UDID_A}, B7`]);
    expect(questionIds(r)[0]).toBe('q.case.device');
  });
});
