import { describe, expect, it } from 'vitest';
import { diagnose, facts, file, goLog, note, TOKEN, UDID_A } from './evidence.js';

/**
 * Troubleshooting step: "which device is this case about?", answered for an app's pushes. A provider's log knows
 * its devices by push token only: a token none of its pushes went to is said to match nothing (as a UDID the
 * logs never name is), and a UDID is said to be no token the log can be matched by, with a request for the token.
 * Every value below is made up; the log holds two devices, one-second times.
 */

const FIRST = '5f1c0a9d2b7e4c3f8a6d1e0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f';
const SECOND = '0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f5f1c0a9d2b7e4c3f8a6d1e';
const NOT_FOUND = 'case.note.device_not_found';
const NOT_A_TOKEN = 'case.note.device_not_a_token';

const providerLog = (first = FIRST) =>
  file(
    'push-worker.log',
    [
      `2026-11-30T09:14:02Z info: apn sent { device: '${first}', status: '200' }`,
      `2026-11-30T09:14:02Z error: apn failed { device: '${SECOND}', status: '400', response: { reason: 'BadDeviceToken' } }`,
      '',
    ].join('\n'),
  );
const device = (id: string) => ['--answer', `q.case.device=${id}`];

describe('a push token that none of the provider’s pushes went to', () => {
  it('is said to match nothing, with the tokens the log names (shortened)', async () => {
    const r = await diagnose(providerLog(), ...device(TOKEN));
    const text = note(r, NOT_FOUND)?.text;
    expect(text).toContain('token 9a4c…9e0f');
    expect(text).toContain('token 5f1c…9c6f');
    expect(text).toContain('token 0b9c…6d1e');
    expect(r.escalation?.status).not.toBe('ready');
  });

  it('pasted as NSData prints it (<… …>) it is read the same', async () => {
    const nsdata = `<${TOKEN.match(/.{8}/g)!.join(' ')}>`;
    const r = await diagnose(providerLog(), ...device(nsdata));
    expect(note(r, NOT_FOUND)?.text).toContain('token 9a4c…9e0f');
  });

  it('one of the log’s tokens: no such note, and that token’s answers are the case’s', async () => {
    const r = await diagnose(providerLog(), ...device(SECOND));
    expect(note(r, NOT_FOUND)).toBeUndefined();
    expect(note(r, NOT_A_TOKEN)).toBeUndefined();
    expect(
      facts(r, 'apns.response')
        .filter((f) => !f.setAside)
        .map((f) => f.value),
    ).toEqual(['BadDeviceToken']);
  });

  it('a token the log masked in its middle whose ends fit: no such note', async () => {
    const r = await diagnose(providerLog(`${TOKEN.slice(0, 8)}…${TOKEN.slice(-6)}`), ...device(TOKEN));
    expect(note(r, NOT_FOUND)).toBeUndefined();
  });

  it('beside an MDM server log of devices by UDID: the note names them too', async () => {
    const mdm = file('nanomdm.log', `${goLog('2026-11-30T09:00:00', `level=info msg=push udid=${UDID_A} status=200`)}\n`);
    const r = await diagnose(providerLog(), mdm, ...device(TOKEN));
    const text = note(r, NOT_FOUND)?.text;
    expect(text).toContain(UDID_A);
    expect(text).toContain('token 5f1c…9c6f');
  });
});

describe('a UDID given for an app case whose provider log names devices by token only', () => {
  it('is said to be no token the log can be matched by, and the report asks for the token', async () => {
    const r = await diagnose(providerLog(), ...device(UDID_A));
    const text = note(r, NOT_A_TOKEN)?.text;
    expect(text).toContain(UDID_A);
    expect(text).toContain('token 5f1c…9c6f');
    expect(text).toMatch(/push token/);
    expect(note(r, NOT_FOUND)).toBeUndefined();
    // Neither token's refusal is taken for the case's device.
    expect(r.causes.find((c: { id: string }) => c.id === 'apns.environment_mismatch')?.status).not.toBe('likely');
  });

  it('a UDID the MDM log beside it names: that device, no such note', async () => {
    const mdm = file('nanomdm.log', `${goLog('2026-11-30T09:00:00', `level=info msg=push udid=${UDID_A} status=200`)}\n`);
    const r = await diagnose(providerLog(), mdm, ...device(UDID_A));
    expect(note(r, NOT_A_TOKEN)).toBeUndefined();
    expect(note(r, NOT_FOUND)).toBeUndefined();
  });
});
