import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch.js';
import { outcomeOf } from '../formats/measure.js';

/**
 * An MDM server that runs on IIS: the engineer hands over the site's access log (W3C extended format,
 * UTC, to the second) instead of the MDM server's own log. It shows the devices' requests to the
 * check-in endpoint and the server's answers, but not which device sent each nor any push: pushcheck
 * says what it holds and what to send instead, and makes no fact of it.
 */
let n = 0;
const dir = () => `${scratchDir('pushcheck-weblog-')}/${++n}`;

const HEAD = [
  '#Software: Microsoft Internet Information Services 10.0',
  '#Version: 1.0',
  '#Date: 2026-11-20 10:00:00',
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
];

describe("an IIS access log of the MDM server's site", () => {
  it("says how many requests came from Apple's MDM client, when, and how they were answered, and asks for the server's own log", async () => {
    const log = [
      ...HEAD,
      '2026-11-20 10:00:01 10.0.0.5 GET /portal/login - 443 - 203.0.113.9 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 12',
      '2026-11-20 10:00:02 10.0.0.5 PUT /mdm/checkin - 443 - 198.51.100.7 MDM/1.0 - 200 0 0 15',
      '2026-11-20 10:00:03 10.0.0.5 PUT /mdm/connect - 443 - 198.51.100.7 MDM/1.0 - 200 0 0 31',
      '2026-11-20 10:05:00 10.0.0.5 PUT /mdm/connect - 443 - 198.51.100.8 MDM-OSX/1.0 - 401 1 2148074254 0',
      '',
    ].join('\r\n');
    const got = await outcomeOf(dir(), [{ name: 'u_ex261120.log', data: Buffer.from(log) }]);
    expect(got.facts).toEqual([]);
    expect(got.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'input.web_access_log',
        "is a web server access log (IIS, W3C format, times in UTC): 3 of its 4 requests came from Apple's MDM client from 2026-11-20 10:00:02 to 2026-11-20 10:05:00 UTC, answered 200 ×2, 401 ×1; it names neither the device behind each request nor any push or APNs's answer: add the MDM server's own log (or its push and check-in lines) for the same times",
      ],
    ]);
  });

  it('says when no device reached the site in the time it covers', async () => {
    const log = [...HEAD, '2026-11-20 10:00:01 10.0.0.5 GET /portal/login - 443 - 203.0.113.9 Mozilla/5.0 - 200 0 0 12', ''].join('\n');
    const got = await outcomeOf(dir(), [{ name: 'u_ex261120.log', data: Buffer.from(log) }]);
    expect(got.problems.map((p) => p.message)).toEqual([expect.stringMatching(/none of its 1 requests came from Apple's MDM client/)]);
  });

  it('is not taken for a log whose lines merely start with a hash', async () => {
    const log = '# nightly push job\n2026-11-20 10:00:01 INFO push sent status=200 apns-id=3F1E2D4C-5B6A-4978-8695-A4B3C2D1E0F9\n';
    const got = await outcomeOf(dir(), [{ name: 'push-job.log', data: Buffer.from(log) }]);
    expect(got.problems.map((p) => p.code)).not.toContain('input.web_access_log');
  });

  it('a cut or garbled log gives the same clear problem, never a crash', async () => {
    const log = `${HEAD.slice(0, 2).join('\n')}\n2026-11-20 10:00:02 \u0000\u0001 ${'x'.repeat(20000)}\n`;
    const got = await outcomeOf(dir(), [{ name: 'u_ex261120.log', data: Buffer.from(log) }]);
    expect(got.problems.map((p) => p.code)).toContain('input.web_access_log');
  });
});
