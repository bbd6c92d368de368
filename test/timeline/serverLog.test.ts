import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCase } from '../../src/pipeline.js';
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
    // NanoMDM logs that it sent the push, not what APNs answered: drawn as "sent", not as a refusal.
    expect(pushes.every((m) => m.tone === 'info')).toBe(true);
    expect(timelineSvg(report)).toContain('push sent (no APNs answer logged)');
    const png = renderTimelinePng(report)!;
    expect(png.readUInt32BE(16)).toBe(1200);
  });

  it('the draft does not claim an APNs answer the log does not hold, and notes the device answered each push', async () => {
    const report = await runCase({ paths: [LOG] });
    const draft = renderFeedbackDraft(report);
    expect(draft).toContain('- 2022-11-08T16:11:20.000Z: APNs response: no APNs answer in the log (the server logged "sent"); device contact at 2022-11-08T16:11:22.000Z');
    expect(draft).toContain("the server's log does not hold APNs's answers");
    expect(draft).toMatch(/^- \[ \] APNs responses to those pushes$/m);
  });

  it('a 2022 server log beside a 2024 sysdiagnose: the axis shows the device\'s 25-hour self-healing window, the 2022 events are named beside it', async () => {
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
