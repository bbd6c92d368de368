import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCase } from '../../src/case/index.js';
import { renderFeedbackDraft } from '../../src/escalation/draft.js';
import { renderTimelinePng, timelineModel, timelineSvg } from '../../src/timeline/index.js';

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
const LOG = fixture('notnow/nanomdm_2021_round_trip.log');

describe('timeline and draft from a NanoMDM server log (a healthy round trip)', () => {
  it('shows the enrollment, both pushes and the command statuses that answered them', async () => {
    const report = await runCase({ paths: [LOG] });
    const model = timelineModel(report);
    expect(model.lanes).toEqual(expect.arrayContaining(['push', 'command', 'enrollment']));
    const pushes = model.marks.filter((m) => m.lane === 'push');
    expect(pushes.map((m) => m.iso)).toEqual(['2022-11-08T16:11:20.000Z', '2022-11-08T16:20:05.000Z']);
    // NanoMDM's "msg=push count=1" counts pushes that came back without an error, and its APNs client makes
    // every answer but 200 an error: both pushes were accepted, drawn as 200s.
    expect(pushes.every((m) => m.tone === 'ok')).toBe(true);
    expect(pushes.map((m) => m.label)).toEqual(['200', '200']);
    const png = renderTimelinePng(report)!;
    expect(png.readUInt32BE(16)).toBe(1200);
  });

  it('the draft does not claim an APNs answer the log does not hold, and the report notes the device answered the push', async () => {
    const report = await runCase({ paths: [LOG] });
    // Answered pushes are not failed pushes: nothing for Apple, and a draft made anyway lists none.
    expect(report.escalation).toBeNull();
    const draft = renderFeedbackDraft(report);
    expect(draft).not.toMatch(/APNs response: 200/);
    expect(draft).toContain("- (no timed pushes in the evidence yet: add the MDM server's push log)");
    expect(draft).toMatch(/^- \[ \] APNs responses to those pushes/m);
    const note = report.notes.find((n) => n.id === 'mdm.note.push_answered');
    expect(note?.text).toMatch(
      /6B1E0F4A-92C3-5D78-A4E6-3F8B2C1D9E07 polled \(Idle\) at 2022-11-08T16:20:07\.000Z \(zone unknown\), 2 s after the push of 2022-11-08T16:20:05\.000Z/,
    );
  });

  it("a 2022 server log beside a 2024 sysdiagnose: the axis shows the device's 25-hour self-healing window, the 2022 events are named beside it", async () => {
    const report = await runCase({ paths: [LOG, fixture('mdm/MDM.plist')] });
    const model = timelineModel(report);
    // The device noted a wrong-magic push on 2024-03-01 (MDM.plist): that and the next 25 hours are the story.
    expect(new Date(model.start).toISOString()).toMatch(/^2024-0[23]/);
    expect(model.end - model.start).toBeLessThan(4 * 24 * 3600 * 1000);
    const svg = timelineSvg(report)!;
    expect(svg).toContain('25 h self-healing window, ends 2024-03-02');
    expect(svg).toMatch(/2022-\d\d-\d\d [^<]*\(before the axis\)|events before the axis[^<]*2022-/);
  });
});
