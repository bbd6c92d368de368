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

  it('labels the axis with whole dates when the evidence spans years (a 2021 server log beside a 2024 sysdiagnose)', async () => {
    const mdmPlist = fileURLToPath(new URL('../fixtures/mdm/MDM.plist', import.meta.url));
    const report = await runCase({ paths: [realworld('nanomdm_server_log_quickstart_success.log'), mdmPlist] });
    const svg = timelineSvg(report)!;
    const labels = [...svg.matchAll(/font-size="12" fill="#222222">([^<]+)</g)].map((m) => m[1]);
    expect(labels.length).toBeGreaterThan(2);
    expect(labels.every((l) => /^\d{4}-\d{2}/.test(l))).toBe(true);
  });
});
