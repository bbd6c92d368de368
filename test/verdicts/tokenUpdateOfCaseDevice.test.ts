import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { answeredPushLog, diagnose, MAGIC, note, UDID_B } from './evidence.js';

/**
 * The engineer attaches the server's log (where the case's device sent a TokenUpdate that the log does not
 * spell out) and, from the server's database, the TokenUpdates of two OTHER devices; then pastes a PushMagic.
 * The note that lays out "the TokenUpdate's" push details for comparison with MDM.plist must only call
 * values the TokenUpdate's when they come from the case device's own TokenUpdate, and say plainly that its
 * TokenUpdate's details are not in the evidence (the others' are another device's).
 */

const server = (p: string) => fileURLToPath(new URL(`../fixtures/mdm/server/${p}`, import.meta.url));
const IPHONE_MAGIC = '9E47B2D1-3C5A-4F08-B6E2-7D19A0C4F385';
const IPHONE_UDID = '00008110-000A1C2E3F40801E';

describe("the TokenUpdate's push details, for a named device whose TokenUpdate the evidence does not spell out", () => {
  const evidence = () => [answeredPushLog(UDID_B), server('TokenUpdate_iPhone.plist'), server('TokenUpdate_Mac.plist')];

  it("does not present a pasted PushMagic as the TokenUpdate's", async () => {
    const r = await diagnose(...evidence(), '--answer', `q.case.device=${UDID_B}`, '--magic', MAGIC);
    expect(note(r, 'mdm.note.token_update_values')).toBeUndefined();
  });

  it("says the named device's TokenUpdate details are not in the evidence, and whose the read ones are", async () => {
    const r = await diagnose(...evidence(), '--answer', `q.case.device=${UDID_B}`, '--magic', MAGIC);
    const text = String(note(r, 'mdm.note.token_update_not_in_evidence')?.text ?? '');
    expect(text).toContain(UDID_B);
    expect(text).toContain(IPHONE_UDID);
    expect(text).toContain('5D3F1A2B-8C4E-5F60-9A7B-1C2D3E4F5A6B');
    // Its own TokenUpdate is in the log, without the values: said, with its line.
    expect(text).toMatch(/nanomdm\.log:2\b/);
    // The other devices' values are not laid out as this device's.
    expect(text).not.toContain('B81F4C62-0D7E-4A93-8E15-62C3F9A7D0E4');
  });

  it("a pasted PushMagic that is another device's TokenUpdate's is said to be that device's", async () => {
    const r = await diagnose(...evidence(), '--answer', `q.case.device=${UDID_B}`, '--magic', IPHONE_MAGIC);
    expect(note(r, 'mdm.note.token_update_values')).toBeUndefined();
    const text = String(note(r, 'mdm.note.token_update_not_in_evidence')?.text ?? '');
    expect(text).toContain(`PushMagic given (--magic) is the one ${IPHONE_UDID}'s TokenUpdate gave`);
  });

  it("with the named device's own TokenUpdate beside a pasted PushMagic, only the TokenUpdate's PushMagic is called the TokenUpdate's", async () => {
    const r = await diagnose(server('TokenUpdate_iPhone.plist'), server('TokenUpdate_Mac.plist'), '--answer', `q.case.device=${IPHONE_UDID}`, '--magic', MAGIC);
    const text = String(note(r, 'mdm.note.token_update_values')?.text ?? '');
    expect(text).toContain(`PushMagic ${IPHONE_MAGIC},`);
    expect(text).not.toContain(MAGIC);
    expect(note(r, 'mdm.note.token_update_not_in_evidence')).toBeUndefined();
  });
});
