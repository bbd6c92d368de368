import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, goLog, nanoIdle, nanoPush, questionIds, UDID_A, UDID_B } from './evidence.js';
import type { Json } from './evidence.js';

/**
 * Troubleshooting step: "did APNs refuse this device's push?" on a NanoMDM-style log (local time, no zone,
 * one-second stamps) that masked device A's UDID in its middle (`00008110-…801E`, `00008110-****-801E`) and kept
 * device B's whole. A masked id is A's two ends, not a device called `00008110-`: named, A's refused push counts
 * for A; it never counts for B; with no device named the case asks which. Every value below is made up.
 */

const lines = (...masks: string[]) => [
  goLog('2024-05-07T08:00:03', `level=info service=push msg=push id=${masks[0]} err="push HTTP status: 403"`),
  ...nanoPush(goLog, '2024-05-07T08:00:04', UDID_B),
  ...nanoIdle(goLog, '2024-05-07T08:00:05', UDID_B),
  goLog('2024-05-07T08:00:06', `level=info service=nanomdm status=Idle id=${masks[1] ?? masks[0]} type=Device`),
];
const log = (...masks: string[]) => file('nanomdm.log', `${lines(...masks).join('\n')}\n`);
const notes = (r: Json) => (r.notes as Json[]).map((n) => n.id);

describe("a server log that masked one device's UDID in its middle", () => {
  for (const [mask, idle] of [
    ['00008110-…801E', '00008110-****-801E'],
    ['00008110-XXXX…801E', '00008110-...801E'],
  ]) {
    it(`A named (${mask}): its refused push confirms mdm.push_refused, and A is found`, async () => {
      const r = await diagnose(log(mask, idle), '--answer', `q.case.device=${UDID_A}`);
      expect(cause(r, 'mdm.push_refused')?.status).toBe('confirmed');
      expect(notes(r)).not.toContain('case.note.device_not_found');
      expect(facts(r, 'case.device_not_found')).toEqual([]);
    });
  }

  it('A named and also logged whole elsewhere: the masked refusal joins its whole-id lines', async () => {
    const r = await diagnose(
      file(
        'nanomdm.log',
        `${[goLog('2024-05-07T08:00:01', `level=info service=nanomdm status=Idle id=${UDID_A} type=Device`), ...lines('00008110-…801E')].join('\n')}\n`,
      ),
      '--answer',
      `q.case.device=${UDID_A}`,
    );
    expect(cause(r, 'mdm.push_refused')?.status).toBe('confirmed');
  });

  it("B named: A's refusal does not count for B", async () => {
    const r = await diagnose(log('00008110-…801E'), '--answer', `q.case.device=${UDID_B}`);
    expect(cause(r, 'mdm.push_refused')?.status).toBe('ruled_out');
    expect(facts(r, 'case.failed_push')).toEqual([]);
  });

  it('no device named: the case asks which device', async () => {
    const r = await diagnose(log('00008110-…801E'));
    expect(cause(r, 'mdm.push_refused')?.status).toBe('open');
    expect(questionIds(r)).toContain('q.case.device');
  });

  it('two masks with different ends and no whole id: two devices, the case asks which', async () => {
    const two = file(
      'nanomdm.log',
      `${[
        goLog('2024-05-07T08:00:03', 'level=info service=push msg=push id=00008110-…801E err="push HTTP status: 403"'),
        goLog('2024-05-07T08:00:04', 'level=info service=push msg=push id=00008101-…401E err="push HTTP status: 403"'),
      ].join('\n')}\n`,
    );
    const r = await diagnose(two);
    expect(questionIds(r)).toContain('q.case.device');
    expect(cause(r, 'mdm.push_refused')?.status).toBe('open');
  });

  it('a mask that fits both A and another device the log names whole: it rules nothing out for A', async () => {
    const other = '00008110-0099999999AB801E';
    const r = await diagnose(
      file(
        'nanomdm.log',
        `${[
          goLog('2024-05-07T08:00:03', 'level=info service=push msg=push id=00008110-…801E err="push HTTP status: 403"'),
          ...nanoPush(goLog, '2024-05-07T08:00:04', other),
          ...nanoIdle(goLog, '2024-05-07T08:00:05', other),
        ].join('\n')}\n`,
      ),
      '--answer',
      `q.case.device=${UDID_A}`,
    );
    expect(cause(r, 'mdm.push_refused')?.status).not.toBe('ruled_out');
    expect(facts(r, 'case.device_not_found')).toEqual([]);
  });

  it("A's push logged with its whole UDID, APNs's refusal a second later masked: the refusal is A's push's", async () => {
    const mixed = file(
      'nanomdm.log',
      `${[
        ...nanoPush(goLog, '2024-05-07T08:00:02', UDID_A),
        goLog('2024-05-07T08:00:03', 'level=info service=push msg=push id=00008110-…801E err="push HTTP status: 403"'),
        ...nanoPush(goLog, '2024-05-07T08:00:04', UDID_B),
        ...nanoIdle(goLog, '2024-05-07T08:00:05', UDID_B),
      ].join('\n')}\n`,
    );
    const a = await diagnose(mixed, '--answer', `q.case.device=${UDID_A}`);
    expect(cause(a, 'mdm.push_refused')?.status).toBe('confirmed');
    const b = await diagnose(mixed, '--answer', `q.case.device=${UDID_B}`);
    expect(cause(b, 'mdm.push_refused')?.status).toBe('ruled_out');
  });
});
