import { describe, expect, it } from 'vitest';
import { diagnose, facts, file, TOKEN } from './evidence.js';

/**
 * Troubleshooting step: "which device token did APNs answer?" curl -v and .NET's HttpClient logging write the
 * request (`POST /3/device/<token>`) on its own line and APNs's answer a few lines below, naming no token: the
 * answer is the request's, as its collapse id is. Every value below is made up.
 */

const OTHER = '0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f5f1c0a9d2b7e4c3f8a6d1e';
const tokensOf = (r: Awaited<ReturnType<typeof diagnose>>) => facts(r, 'apns.response').map((f) => [f.value, f.attrs.token ?? null]);

describe("APNs's answer is tied to the token of the request line just before it", () => {
  it('curl -v: two requests, each answered', async () => {
    const curl = (token: string, status: string, body: string) => [
      '* Connected to api.push.apple.com (17.188.143.34) port 443',
      `> POST /3/device/${token} HTTP/2`,
      '> Host: api.push.apple.com',
      '> apns-topic: com.example.demo',
      '>',
      `< HTTP/2 ${status}`,
      '<',
      body,
    ];
    const r = await diagnose(
      file(
        'curl-v.txt',
        `${[...curl(TOKEN, '400', '{"reason":"BadDeviceToken"}'), ...curl(OTHER, '410', '{"reason":"Unregistered","timestamp":1764493000000}')].join('\n')}\n`,
      ),
    );
    expect(tokensOf(r)).toEqual([
      ['BadDeviceToken', TOKEN],
      ['Unregistered', OTHER],
    ]);
  });

  it(".NET's HttpClient log: the request URI, then the answer's status", async () => {
    const r = await diagnose(
      file(
        'push-api.log',
        [
          `2026-11-30 09:15:00.100 info: System.Net.Http.HttpClient.Apns.LogicalHandler[100] Start processing HTTP request POST https://api.push.apple.com/3/device/${TOKEN}`,
          '2026-11-30 09:15:00.350 info: System.Net.Http.HttpClient.Apns.LogicalHandler[101] End processing HTTP request after 250.1ms - 410',
          '2026-11-30 09:15:00.351 warn: Push.ApnsSender[0] APNs answered 410 {"reason":"Unregistered","timestamp":1764493000000}',
          '',
        ].join('\n'),
      ),
    );
    expect(tokensOf(r)).toEqual([['Unregistered', TOKEN]]);
  });

  it('an answer far below any request line stays without a token', async () => {
    const lines = [
      `> POST /3/device/${TOKEN} HTTP/2`,
      ...Array.from({ length: 10 }, (_, i) => `* note ${i}`),
      '< HTTP/2 403',
      '{"reason":"InvalidProviderToken"}',
    ];
    const r = await diagnose(file('curl-v.txt', `${lines.join('\n')}\n`));
    expect(tokensOf(r)).toEqual([['InvalidProviderToken', null]]);
  });
});
