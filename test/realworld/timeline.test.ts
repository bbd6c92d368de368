import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCase } from '../../src/case/index.js';
import { renderFeedbackDraft } from '../../src/escalation/draft.js';
import { renderTimelinePng, timelineModel, timelineSvg } from '../../src/timeline/index.js';
import { realworld } from './files.js';

describe('timeline and draft from a real NanoMDM server log (a healthy round trip)', () => {
  it('shows the enrollment, both pushes and the command statuses that answered them', async () => {
    const report = await runCase({ paths: [realworld('nanomdm_server_log_quickstart_success.log')] });
    const model = timelineModel(report);
    expect(model.lanes).toEqual(expect.arrayContaining(['push', 'command', 'enrollment']));
    const pushes = model.marks.filter((m) => m.lane === 'push');
    expect(pushes.map((m) => m.iso)).toEqual(['2021-05-30T12:32:32.000Z', '2021-05-30T12:46:39.000Z']);
    // NanoMDM's "msg=push count=1" counts pushes that came back without an error, and its APNs client makes
    // every answer but 200 an error: both pushes were accepted, drawn as 200s.
    expect(pushes.every((m) => m.tone === 'ok')).toBe(true);
    expect(pushes.map((m) => m.label)).toEqual(['200', '200']);
    const png = renderTimelinePng(report)!;
    expect(png.readUInt32BE(16)).toBe(1200);
  });

  it('the draft does not claim an APNs answer the log does not hold, and the report notes the device answered the push', async () => {
    const report = await runCase({ paths: [realworld('nanomdm_server_log_quickstart_success.log')] });
    // Answered pushes are not failed pushes: nothing for Apple, and a draft made anyway lists none.
    expect(report.escalation).toBeNull();
    const draft = renderFeedbackDraft(report);
    expect(draft).not.toMatch(/APNs response: 200/);
    expect(draft).toContain("- (no timed pushes in the evidence yet: add the MDM server's push log)");
    expect(draft).toMatch(/^- \[ \] APNs responses to those pushes/m);
    const note = report.notes.find((n) => n.id === 'mdm.note.push_answered');
    expect(note?.text).toMatch(
      /99385AF6-44CB-5621-A678-A321F4D9A2C8 polled \(Idle\) at 2021-05-30T12:46:40\.000Z \(zone unknown\), 1 s after the push of 2021-05-30T12:46:39\.000Z/,
    );
  });

  it("a 2021 server log beside a 2024 sysdiagnose: the axis shows the device's 25-hour self-healing window, the 2021 events are named beside it", async () => {
    const mdmPlist = fileURLToPath(new URL('../fixtures/mdm/MDM.plist', import.meta.url));
    const report = await runCase({ paths: [realworld('nanomdm_server_log_quickstart_success.log'), mdmPlist] });
    const model = timelineModel(report);
    // The device noted a wrong-magic push on 2024-03-01 (MDM.plist): that and the next 25 hours are the story.
    expect(new Date(model.start).toISOString()).toMatch(/^2024-0[23]/);
    expect(model.end - model.start).toBeLessThan(4 * 24 * 3600 * 1000);
    const svg = timelineSvg(report)!;
    expect(svg).toContain('25 h self-healing window, ends 2024-03-02');
    expect(svg).toMatch(/2021-\d\d-\d\d [^<]*\(before the axis\)|events before the axis[^<]*2021-/);
  });
});
