import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { scratchDir } from '../support/scratch.js';
import { file, TOPIC, UDID_A } from '../verdicts/evidence.js';
import { timelineHeight, timelineModel, timelineSvg } from '../../src/timeline/index.js';
import type { Report } from '../../src/report/types.js';

/**
 * Troubleshooting step: "which pushes failed, and whose were they?" A case
 * with an MDM server's log and an app provider's log holds two journeys: the
 * MDM server pushing on its certificate's topic, and the app's provider
 * pushing on the app's. Drawn on one lane, a refused app push reads as the
 * MDM server's; each kind gets its own named lane. A case with one kind only
 * keeps its one lane, drawn exactly as before.
 */

/** An in-house MDM server's push log (UTC stamps). */
const mdmLog = () =>
  file(
    'mdm-server.log',
    `${[
      `2026-11-20T10:00:30Z [info] push sent udid=${UDID_A} topic=${TOPIC} status=200`,
      `2026-11-20T10:03:00Z [info] push sent udid=${UDID_A} topic=${TOPIC} status=200`,
    ].join('\n')}\n`,
  );

/** The app's provider: APNs's HTTP/2 answers for the app's topic, one refused. */
const providerLog = () =>
  file(
    'provider.log',
    `${[
      '2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c apns-topic=com.example.demo apns-push-type=alert status=200',
      '2026-11-20T10:02:00.110Z WARN  apns: apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d apns-topic=com.example.demo status=400 reason=BadDeviceToken',
    ].join('\n')}\n`,
  );

async function reportOf(...files: string[]): Promise<Report> {
  const { out } = await cli('diagnose', ...files, '--format', 'json');
  return JSON.parse(out) as Report;
}

describe('MDM pushes and app pushes side by side', () => {
  it('are drawn on two lanes, named for their kind', async () => {
    const model = timelineModel(await reportOf(mdmLog(), providerLog()));
    expect(model.lanes.slice(0, 2)).toEqual(['push', 'app_push']);
    expect(model.marks.filter((m) => m.lane === 'push').map((m) => m.label)).toEqual(['200', '200']);
    expect(model.marks.filter((m) => m.lane === 'app_push').map((m) => [m.label, m.tone])).toEqual([
      ['200', 'ok'],
      ['400 BadDeviceToken', 'bad'],
    ]);
    const svg = timelineSvg(await reportOf(mdmLog(), providerLog()))!;
    expect(svg).toContain('>MDM pushes (APNs answer)<');
    expect(svg).toContain('>App pushes (APNs answer)<');
    expect(svg).not.toContain('>Pushes sent (APNs answer)<');
  });

  it('the PNG written by --timeline has room for both lanes', async () => {
    const png = join(scratchDir('pushcheck-lanes-'), 'timeline.png');
    await cli('diagnose', mdmLog(), providerLog(), '--timeline', png);
    const buf = readFileSync(png);
    const lanes = timelineModel(await reportOf(mdmLog(), providerLog())).lanes.length;
    expect(buf.readUInt32BE(20)).toBe(timelineHeight(lanes));
  });

  it('a case with one kind of push keeps its single lane and title', async () => {
    for (const files of [[mdmLog()], [providerLog()]]) {
      const report = await reportOf(...files);
      const model = timelineModel(report);
      expect(model.lanes).toEqual(['push']);
      expect(model.titles).toEqual({});
      expect(timelineSvg(report)).toContain('>Pushes sent (APNs answer)<');
    }
  });

  it('the picture of a one-kind case is the same, byte for byte, as before the lanes were split', async () => {
    // SHA-256 of the SVG before the change (same evidence, same report): the split leaves it untouched.
    const svg = timelineSvg(await reportOf(providerLog()))!;
    expect(createHash('sha256').update(svg).digest('hex').slice(0, 16)).toBe(PROVIDER_ONLY_SVG);
  });
});

const PROVIDER_ONLY_SVG = '7ae09e15390ba77b';
