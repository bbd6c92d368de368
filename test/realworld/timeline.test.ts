import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCase } from '../../src/pipeline.js';
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
    // NanoMDM logs that it sent the push, not what APNs answered: drawn as "sent", not as a refusal.
    expect(pushes.every((m) => m.tone === 'info')).toBe(true);
    expect(timelineSvg(report)).toContain('push sent (no APNs answer logged)');
    const png = renderTimelinePng(report)!;
    expect(png.readUInt32BE(16)).toBe(1200);
  });

  it('the draft does not claim an APNs answer the log does not hold, and notes the device answered each push', async () => {
    const report = await runCase({ paths: [realworld('nanomdm_server_log_quickstart_success.log')] });
    const draft = renderFeedbackDraft(report);
    expect(draft).toContain('- 2021-05-30T12:32:32.000Z: APNs response: no APNs answer in the log (the server logged "sent"); device contact at 2021-05-30T12:32:33.000Z');
    expect(draft).toContain("the server's log does not hold APNs's answers");
    expect(draft).toMatch(/^- \[ \] APNs responses to those pushes$/m);
  });

  it('a 2021 server log beside a 2024 sysdiagnose: the axis shows the device\'s 25-hour self-healing window, the 2021 events are named beside it', async () => {
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
