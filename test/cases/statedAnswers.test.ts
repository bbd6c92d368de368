import { describe, expect, it } from 'vitest';
import { readPaste } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';

/**
 * An APNs answer typed in a thread is judged by the sentence that reports it:
 * "The phone never checked in." after "APNs returned 200 at 09:05." is a
 * second report, not a hedge; doubt anywhere in the message still makes the
 * whole of it a guess.
 */

const answers = async (text: string) =>
  (await readPaste(text, 'Slack message', { limits: DEFAULT_LIMITS })).facts
    .filter((f) => f.name === 'apns.response' || f.name === 'mdm.apns_response')
    .map((f) => [f.name, f.value, f.attrs?.stated]);

describe("a person's message is judged by the sentence that reports the answer", () => {
  it.each([
    ['APNs returned 200 at 09:05. The phone never checked in.', [['apns.response', '200', 'words']]],
    ['I do not think it is ExpiredToken. APNs returned 410 Unregistered at 10:00.', [['apns.response', 'Unregistered', 'words']]],
    ['We got 400 BadDeviceToken. No idea why.', [['apns.response', 'BadDeviceToken', 'words']]],
    [
      'APNs returned 200 at 08:00:03 UTC on 2024-05-07 for UDID 00008120-001C35A83E91C01E. The phone never checked in.',
      [['mdm.apns_response', '200', 'words']],
    ],
  ])('%s → read', async (text, expected) => {
    expect(await answers(text)).toEqual(expected);
  });

  it.each([
    'APNs returned 200. Not sure though.',
    'Last year APNs returned 403 BadCertificate. Not now.',
    'APNs returned 410; maybe the profile is gone?',
    'If APNs returns 410 we prune the token.',
  ])('%s → no answer', async (text) => {
    expect(await answers(text)).toEqual([]);
  });

  it('a date written after the time ("at 08:00:03 UTC on 2024-05-07") dates the answer', async () => {
    const r = await readPaste('APNs returned 200 at 08:00:03 UTC on 2024-05-07', 'Slack message', { limits: DEFAULT_LIMITS });
    expect(r.facts.find((f) => f.name === 'apns.response')?.at).toBe('2024-05-07T08:00:03.000Z');
    const before = await readPaste('on 2024-05-07 at 10:00:03 +02:00 APNs returned 200', 'Slack message', { limits: DEFAULT_LIMITS });
    expect(before.facts.find((f) => f.name === 'apns.response')?.at).toBe('2024-05-07T08:00:03.000Z');
  });
});
