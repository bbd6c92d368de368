import { describe, expect, it } from 'vitest';
import { collectEvidence, diagnoseEvidence } from '../../src/case/index.js';
import { serverValues } from '../../src/evidence/paste/index.js';
import { judgeValue } from '../../src/facts/valueShape.js';
import { cli } from '../cli/helpers.js';
import { checkin, diagnoseJson, factsNamed, statusOf, workdir } from './helpers.js';

/**
 * Troubleshooting step: compare the server's topic, PushMagic and token with
 * the device's (seed 000). A value that reached us masked (XXXX, <private>,
 * ****, cut short) or garbled by copying is unknown: it is named, never
 * compared, and its real value is asked for (issue 8 item 2).
 */

const TOPIC = 'com.apple.mgmt.External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d';
const MAGIC = '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03';
const TOKEN = '7d3c1f0a9e8b2c4d6f1a3b5c7e9d0f2a4b6c8e0d1f3a5b7c9e0f2d4a6b8c0e1f';
const TOKEN_B64 = Buffer.from(TOKEN, 'hex').toString('base64');
const file = workdir('pushcheck-masked-');

describe('a masked topic in a check-in', () => {
  const masked = 'com.apple.mgmt.External.XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX';

  it('is kept as value.masked, never compared with the push certificate, and the real value is asked for', async () => {
    const tokenUpdate = file(
      'TokenUpdate.plist',
      checkin({ MessageType: 'TokenUpdate', Topic: masked, UDID: '00008110-000A1C2E3F40801E', PushMagic: MAGIC }, { Token: Buffer.from(TOKEN, 'hex') }),
    );
    const report = await diagnoseJson(tokenUpdate, '--paste', `MDM push cert subject: UID = ${TOPIC}, CN = APSP:4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d, C = US`);
    // The ticket masked the topic: nothing says the certificate's topic differs from the enrolled one.
    expect(factsNamed(report, 'server.enrolled_topic')).toEqual([]);
    expect(factsNamed(report, 'value.masked')).toEqual([
      expect.objectContaining({
        attrs: expect.objectContaining({ of: 'server.enrolled_topic', kind: 'topic', state: 'masked', key: 'Topic', question: 'q.mdm.device_topic' }),
      }),
    ]);
    expect(statusOf(report, 'mdm.wrong_topic')).toBe('open');
    expect(report.notes.map((n) => n.id)).toContain('mdm.note.value_masked');
    expect(report.notes.find((n) => n.id === 'mdm.note.value_masked')!.text).toMatch(
      /the topic in a check-in .*"com\.apple\.mgmt\.External\.XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX" is masked/,
    );
    expect(report.questions.map((q) => q.id)).toContain('q.mdm.device_topic');
    // The PushMagic and token the same check-in carries are the server's, and real.
    expect(factsNamed(report, 'server.push_magic').map((f) => f.value)).toEqual([MAGIC]);
    expect(factsNamed(report, 'server.push_token').map((f) => f.value)).toEqual([TOKEN]);
  });

  it('an MDM.plist whose PushMagic was copied from a redacted log does not make the magic "wrong"', async () => {
    const mdmPlist = file(
      'MDM.plist',
      checkin({ PushMagic: '<private>', Topic: TOPIC, ServerURL: 'https://mdm.example.net/mdm', CheckInURL: 'https://mdm.example.net/checkin' }),
    );
    const report = await diagnoseJson(mdmPlist, '--magic', MAGIC, '--topic', TOPIC);
    expect(statusOf(report, 'mdm.wrong_magic')).toBe('open');
    expect(statusOf(report, 'mdm.wrong_topic')).toBe('ruled_out');
    expect(factsNamed(report, 'value.masked')[0]?.attrs).toMatchObject({ of: 'device.push_magic', question: 'q.mdm.device_magic' });
    expect(report.questions.map((q) => q.id)).toContain('q.mdm.device_magic');
  });

  it('a truncated LastPushTokenHash in MDM.plist (16 bytes) is garbled: the token is neither wrong nor right', async () => {
    const half = Buffer.alloc(16, 0x5a);
    const mdmPlist = file('MDM-short-hash.plist', checkin({ PushMagic: MAGIC, Topic: TOPIC }, { LastPushTokenHash: half }));
    const report = await diagnoseJson(mdmPlist, '--token', TOKEN);
    expect(statusOf(report, 'mdm.wrong_token')).toBe('open');
    expect(factsNamed(report, 'value.garbled')[0]?.attrs).toMatchObject({ of: 'device.push_token_hash', why: 'is 16 bytes; a SHA-256 is 32' });
  });
});

describe('mutated pastes lead to "check this value", never to a confirmed cause', () => {
  // The server's and the device's values as a support engineer pastes them: all three agree.
  const paste = (topic: string, magic: string, token: string) =>
    [
      'server values (from our MDM DB):',
      `topic: ${topic}`,
      `magic: ${magic}`,
      `token: ${token}`,
      '',
      '$ plutil -p logs/MCState/Shared/MDM.plist | grep -E "Topic|PushMagic"',
      `  "PushMagic" => "${MAGIC}"`,
      `  "Topic" => "${TOPIC}"`,
    ].join('\n');

  const mutations: { what: string; topic?: string; magic?: string; token?: string; cause: string; state: 'masked' | 'garbled' }[] = [
    {
      what: "a PushMagic with a group run together (the issue's own example)",
      magic: '0B9D6E24-C3F1111111111111111111-4A78-8E52-D17A4B6C9F03',
      cause: 'mdm.wrong_magic',
      state: 'garbled',
    },
    { what: 'a PushMagic one character short', magic: '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F0', cause: 'mdm.wrong_magic', state: 'garbled' },
    { what: 'a PushMagic with a character too many', magic: '0B9D6E24-C3F1-4A788-8E52-D17A4B6C9F03', cause: 'mdm.wrong_magic', state: 'garbled' },
    { what: 'a PushMagic with a stray letter', magic: '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9FZ3', cause: 'mdm.wrong_magic', state: 'garbled' },
    { what: 'a PushMagic with a group twice', magic: '0B9D6E24-C3F1-C3F1-4A78-8E52-D17A4B6C9F03', cause: 'mdm.wrong_magic', state: 'garbled' },
    { what: 'a PushMagic with a stray space', magic: '0B9D6E24-C3F1 -4A78-8E52-D17A4B6C9F03', cause: 'mdm.wrong_magic', state: 'garbled' },
    { what: 'a PushMagic cut short with …', magic: '0B9D6E24-C3F1-4A78-…', cause: 'mdm.wrong_magic', state: 'masked' },
    { what: 'a PushMagic cut short with ...', magic: '0B9D6E24-C3F1...', cause: 'mdm.wrong_magic', state: 'masked' },
    { what: 'a PushMagic masked with X', magic: '0B9D6E24-XXXX-XXXX-XXXX-XXXXXXXXXXXX', cause: 'mdm.wrong_magic', state: 'masked' },
    { what: 'a PushMagic as <redacted>', magic: '<redacted>', cause: 'mdm.wrong_magic', state: 'masked' },
    { what: 'a PushMagic masked with stars', magic: '0B9D6E24-****-****-****-************', cause: 'mdm.wrong_magic', state: 'masked' },
    {
      what: 'a topic with a stray space after com.apple.mgmt',
      topic: 'com.apple.mgmt .External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d',
      cause: 'mdm.wrong_topic',
      state: 'garbled',
    },
    {
      what: 'a topic with External twice',
      topic: 'com.apple.mgmt.External.External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d',
      cause: 'mdm.wrong_topic',
      state: 'garbled',
    },
    {
      what: 'a topic with com.apple.mgmt twice',
      topic: 'com.apple.mgmt.com.apple.mgmt.External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d',
      cause: 'mdm.wrong_topic',
      state: 'garbled',
    },
    {
      what: 'a topic whose UUID lost a character',
      topic: 'com.apple.mgmt.External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7',
      cause: 'mdm.wrong_topic',
      state: 'garbled',
    },
    {
      what: 'a topic with two dots together',
      topic: 'com.apple.mgmt..External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d',
      cause: 'mdm.wrong_topic',
      state: 'garbled',
    },
    { what: 'a topic cut short', topic: 'com.apple.mgmt.External.4b2d9c1e-…', cause: 'mdm.wrong_topic', state: 'masked' },
    { what: 'a topic with the UUID masked', topic: 'com.apple.mgmt.External.xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', cause: 'mdm.wrong_topic', state: 'masked' },
    { what: 'a topic with a placeholder for the UUID', topic: 'com.apple.mgmt.External.<uuid>', cause: 'mdm.wrong_topic', state: 'masked' },
    { what: 'a token one hex digit short', token: TOKEN.slice(0, 63), cause: 'mdm.wrong_token', state: 'garbled' },
    { what: 'a token with two digits too many', token: `${TOKEN}ab`, cause: 'mdm.wrong_token', state: 'garbled' },
    { what: 'a token with a stray letter', token: `${TOKEN.slice(0, 20)}g${TOKEN.slice(21)}`, cause: 'mdm.wrong_token', state: 'garbled' },
    { what: 'a token cut short', token: `${TOKEN.slice(0, 16)}…`, cause: 'mdm.wrong_token', state: 'masked' },
    { what: 'a token in base64 missing its last characters', token: TOKEN_B64.slice(0, 38), cause: 'mdm.wrong_token', state: 'garbled' },
  ];

  it.each(mutations)('$what: $state, $cause stays open, nothing is confirmed', async ({ topic = TOPIC, magic = MAGIC, token = TOKEN, cause, state }) => {
    // The device hash matching the real token, so that only the mutated value could make a difference.
    const hash = (await import('node:crypto')).createHash('sha256').update(Buffer.from(TOKEN, 'hex')).digest('hex');
    const evidence = await collectEvidence({ pastes: [{ text: `${paste(topic, magic, token)}\nLastPushTokenHash: ${hash}`, label: 'slack message' }] });
    const { report } = diagnoseEvidence(evidence);
    expect(report.causes.filter((c) => c.status === 'confirmed').map((c) => c.id)).toEqual([]);
    expect(report.causes.find((c) => c.id === cause)?.status).toBe('open');
    expect(report.notes.map((n) => n.id)).toContain(state === 'masked' ? 'mdm.note.value_masked' : 'mdm.note.value_garbled');
  });

  it('the same paste unmutated rules the three causes out: the mutations are what kept them open', async () => {
    const hash = (await import('node:crypto')).createHash('sha256').update(Buffer.from(TOKEN, 'hex')).digest('hex');
    const evidence = await collectEvidence({ pastes: [{ text: `${paste(TOPIC, MAGIC, TOKEN)}\nLastPushTokenHash: ${hash}`, label: 'slack message' }] });
    const { report } = diagnoseEvidence(evidence);
    for (const id of ['mdm.wrong_magic', 'mdm.wrong_topic', 'mdm.wrong_token']) expect(report.causes.find((c) => c.id === id)?.status, id).toBe('ruled_out');
    expect(report.notes.map((n) => n.id)).not.toContain('mdm.note.value_garbled');
  });

  it('through the CLI, a garbled PushMagic says "Check this value" and asks for the server\'s magic', async () => {
    const paste = `server magic: 0B9D6E24-C3F1111111111111111111-4A78-8E52-D17A4B6C9F03\ndevice magic: ${MAGIC}`;
    const { out } = await cli('diagnose', '--paste', paste);
    expect(out).toMatch(/^pushcheck: Nothing confirmed yet — /);
    expect(out).toMatch(/Note: Check this value: the server's PushMagic "0B9D6E24…9F03" has dash-separated groups of 8-22-4-4-12 characters/);
    expect(out).not.toMatch(/^CONFIRMED/m);
    // The 30-second view asks the top three; the full view lists every question, this one among them.
    const full = (await cli('diagnose', '--paste', paste, '--detail', 'full')).out;
    expect(full).toMatch(/Which PushMagic does the MDM server put in its pushes[^\n]*\n(?:.*\n)*?.*--answer q\.mdm\.server_magic=/);
  });

  it('a garbled --magic flag is named too, with the flag as its source and a problem saying what is wrong', () => {
    const r = serverValues({ magic: '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F0' });
    expect(r.facts).toEqual([
      expect.objectContaining({
        name: 'value.garbled',
        source: { kind: 'pasted', input: '--magic' },
        attrs: expect.objectContaining({ of: 'server.push_magic' }),
      }),
    ]);
    expect(r.problems.map((p) => p.code)).toEqual(['flag.invalid_magic']);
  });
});

describe('the shared judge of values', () => {
  const cases: [Parameters<typeof judgeValue>[0], string, string][] = [
    ['magic', MAGIC, 'ok'],
    ['magic', 'MAGIC-OK-1234', 'ok'], // a server's own, non-UUID magic is not second-guessed
    ['magic', '11111111-2222-3333-4444-555555555555', 'ok'],
    ['magic', '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F0', 'garbled'],
    ['topic', TOPIC, 'ok'],
    ['topic', 'com.apple.mgmt.External.x', 'ok'],
    ['topic', 'com.example.app', 'ok'],
    ['topic', 'com.apple.mgmt', 'garbled'],
    ['topic', 'com.apple.mgmt.External.YOUR-PUSH-TOPIC-HERE', 'ok'], // a template placeholder is its own cause (mdm.wrong_topic.placeholder)
    ['token', TOKEN, 'ok'],
    ['token', `<${TOKEN.match(/.{8}/g)!.join(' ')}>`, 'ok'],
    ['token', 'deadbeef', 'invalid'], // too short to be a mistyped token
    ['token_hash', 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'masked'],
    ['udid', '00008110-000A1C2E3F40801E', 'ok'],
    ['udid', '663b07bb783e9ade1dae4fbb92ea12afc0ce5b69', 'ok'],
    ['udid', '00008110-XXXXXXXXXXXXXXXX', 'masked'],
    ['udid', '00008110-000A1C2E3F40801', 'garbled'],
  ];
  it.each(cases)('%s %s is %s', (kind, value, state) => {
    expect(judgeValue(kind, value).state).toBe(state);
  });
});
