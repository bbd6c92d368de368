import { describe, expect, it } from 'vitest';
import { verifyDraft } from '../../src/escalation/verify.js';

const TOKEN = '5f0c2a7e9b14d3c6a8e1f2b4c7d9e0a3b6c8d1e4f7a2b5c8d0e3f6a9b1c4d7e2';
const MAGIC = 'D3A1B2C4-5E6F-4789-9ABC-DEF012345678';
const template = `Push token: ${TOKEN}\nPushMagic: ${MAGIC}\n- 2024-05-06T09:00:00Z: APNs response: 410 Unregistered\nSource: sysdiagnose_2024.05.07_09-02-00.tar.gz › system_logs.txt:88\n`;
const input = {
  required: [
    { label: 'the push token', value: TOKEN },
    { label: 'the PushMagic', value: MAGIC },
    { label: 'the time of push 1', value: '2024-05-06T09:00:00Z' },
    { label: 'the APNs reason of push 1', value: 'Unregistered' },
  ],
  allowed: template,
};

describe('verifier for a model rewrite', () => {
  it('passes the template itself and a reworded one', () => {
    expect(verifyDraft(template, input)).toEqual({ ok: true });
    expect(verifyDraft(template.replace('APNs response:', 'APNs replied with'), input)).toEqual({ ok: true });
  });

  it('rejects a PushMagic rewritten in lower case: values are compared verbatim', () => {
    expect(verifyDraft(template.replace(MAGIC, MAGIC.toLowerCase()), input)).toEqual({ ok: false, reason: 'the rewrite lost or changed the PushMagic' });
  });

  it('rejects a dropped APNs reason', () => {
    expect(verifyDraft(template.replace(' Unregistered', ''), input)).toMatchObject({
      ok: false,
      reason: 'the rewrite lost or changed the APNs reason of push 1',
    });
  });

  it('rejects an invented time of day, date, hex string or magic-like string, naming it shortened', () => {
    expect(verifyDraft(`${template}The device last checked in at 07:45.`, input)).toMatchObject({ ok: false, reason: expect.stringContaining('time of day') });
    expect(verifyDraft(`${template}Seen since 2024-04-30.`, input)).toMatchObject({ ok: false, reason: expect.stringContaining('timestamp') });
    expect(verifyDraft(`${template}Hash: ${'ab'.repeat(16)}`, input)).toEqual({
      ok: false,
      reason: 'the rewrite contains a token-like hex string that is not in the facts (abababab…abab)',
    });
    expect(verifyDraft(`${template}Magic: Zx9Qw7Lm3Np5Rt`, input)).toMatchObject({ ok: false, reason: expect.stringContaining('magic-like') });
  });

  it('does not mistake file names, versions and line numbers from the facts for invented values', () => {
    expect(verifyDraft(`${template}iOS 17.4.1 (21E236), iPhone14,2`, input)).toEqual({ ok: true });
  });

  it('rejects an empty answer', () => {
    expect(verifyDraft('  \n', input)).toEqual({ ok: false, reason: 'the rewrite was empty' });
  });
});
