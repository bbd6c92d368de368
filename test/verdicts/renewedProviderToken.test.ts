import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cause, diagnose, file, providerLogLines, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "did APNs refuse the provider's JWT for this device's push?", asked of an app server's log
 * where every token was refused once as ExpiredProviderToken, the key's token was then renewed and later pushes
 * to the other devices were accepted, but the first device was never pushed again. For that device the expired
 * JWT is the fault; for the others it is history. With no device named the log cannot tell which story is the
 * case's, so the provider's token is neither blamed nor cleared. Every value is made up.
 */

const token = (i: number) => createHash('sha256').update(`renewed ${i}`).digest('hex');

function providerLog(): string {
  const { accepted, refused, text } = providerLogLines();
  for (let n = 0; n < 12; n++) accepted(token(n % 4));
  for (let i = 0; i < 4; i++) refused(token(i), 403, 'ExpiredProviderToken');
  // Renewed: devices 1-3 get pushes again and APNs accepts them; device 0 is never pushed again.
  for (let n = 0; n < 6; n++) accepted(token(1 + (n % 3)));
  return file('renewed-jwt.log', text());
}

describe('a JWT that expired for every device and was renewed before some of them were pushed again', () => {
  const log = providerLog();

  it('the device never pushed again: its last push was refused for the expired JWT, so the provider token is the fault', async () => {
    const r = await diagnose(log, '--answer', `q.case.device=${token(0)}`);
    expect(cause(r, 'apns.provider_token')?.status).toBe('confirmed');
  });

  it('a device pushed again after the renewal: its pushes are accepted now, so the provider token is ruled out', async () => {
    const r = await diagnose(log, '--answer', `q.case.device=${token(2)}`);
    expect(cause(r, 'apns.provider_token')?.status).toBe('ruled_out');
  });

  it('no device named: the later accepted pushes to other devices do not clear the provider token; the case asks which device', async () => {
    const r = await diagnose(log);
    expect(cause(r, 'apns.provider_token')?.status).toBe('open');
    expect(questionIds(r)[0]).toBe('q.case.device');
  });
});
