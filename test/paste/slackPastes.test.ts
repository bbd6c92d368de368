import { describe, expect, it } from 'vitest';
import { readPaste } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';
import { file, logShow } from '../verdicts/evidence.js';
import { diagnoseJson, factsNamed } from '../values/helpers.js';

/**
 * Troubleshooting step: "give pushcheck the server's values" — typed the way
 * people write in a Slack channel (issue 9, pastes typed in a channel). The
 * side of a value is said once, for a line or under a header, in words:
 * server, DB, on file, our, MDM and the MDM products for the server; device,
 * phone, Mac, sysdiagnose, plutil, MDM.plist for the device.
 */

const ctx = { limits: DEFAULT_LIMITS };
const TOPIC = 'com.apple.mgmt.External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d';
const UUID = '4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d';
const MAGIC = '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03';
const TOKEN = '7d3c1f0a9e8b2c4d6f1a3b5c7e9d0f2a4b6c8e0d1f3a5b7c9e0f2d4a6b8c0e1f';
const TOKEN_B64 = Buffer.from(TOKEN, 'hex').toString('base64');
const UDID = '00008110-000A1C2E3F40801E';
const APNS_ID = '8b2c5e1f-3a4d-4c6b-9e8f-0a1b2c3d4e5f';

async function pairs(text: string): Promise<[string, unknown][]> {
  const r = await readPaste(text, 'slack message', ctx);
  return r.facts.filter((f) => !f.name.startsWith('device.log.')).map((f) => [f.name, f.value]);
}

describe('the forms people type, each read with its side', () => {
  const forms: [string, string, [string, unknown][]][] = [
    [
      '"server says topic is X, magic Y": the side carries to every value on the line',
      `server says topic is ${TOPIC}, magic ${MAGIC}`,
      [
        ['server.topic', TOPIC],
        ['server.push_magic', MAGIC],
      ],
    ],
    ['"token from the DB: <hex>"', `token from the DB: ${TOKEN}`, [['server.push_token', TOKEN]]],
    ['"token from the database: <hex>"', `token from the database: ${TOKEN}`, [['server.push_token', TOKEN]]],
    ['"the token we have on file is …" (base64, as TokenUpdate carries it)', `the token we have on file is ${TOKEN_B64}`, [['server.push_token', TOKEN]]],
    ['"PushMagic from nanomdm: …"', `PushMagic from nanomdm: ${MAGIC}`, [['server.push_magic', MAGIC]]],
    [
      '"server: topic=… magic=… token=…"',
      `server: topic=${TOPIC} magic=${MAGIC} token=${TOKEN}`,
      [
        ['server.topic', TOPIC],
        ['server.push_magic', MAGIC],
        ['server.push_token', TOKEN],
      ],
    ],
    [
      'a header "server values (from our MDM DB):" over lines of values',
      `server values (from our MDM DB):\ntopic: ${TOPIC}\nmagic: ${MAGIC}\ntoken: ${TOKEN}`,
      [
        ['server.topic', TOPIC],
        ['server.push_magic', MAGIC],
        ['server.push_token', TOKEN],
      ],
    ],
    [
      'a header "MDM says:" over Slack bullets',
      `MDM says:\n• topic: ${TOPIC}\n• PushMagic: ${MAGIC}`,
      [
        ['server.topic', TOPIC],
        ['server.push_magic', MAGIC],
      ],
    ],
    ['a key at the end of its line announces the value on the next', `PushMagic from nanomdm:\n${MAGIC}`, [['server.push_magic', MAGIC]]],
    ["an MDM product name is the server's side", `Jamf shows magic ${MAGIC}`, [['server.push_magic', MAGIC]]],
    [
      '"the phone shows …" is the device\'s side',
      `the phone shows topic ${TOPIC} and magic ${MAGIC}`,
      [
        ['device.topic', TOPIC],
        ['device.push_magic', MAGIC],
      ],
    ],
    ['"on the Mac it shows …" is the device\'s side', `on the Mac it shows topic ${TOPIC}`, [['device.topic', TOPIC]]],
    ['"iPad says topic …" is the device\'s side', `iPad says topic ${TOPIC}`, [['device.topic', TOPIC]]],
    ['"from the sysdiagnose" is the device\'s side', `from the sysdiagnose: PushMagic ${MAGIC}`, [['device.push_magic', MAGIC]]],
    ["MDM.plist is the device's, although it says MDM", `MDM.plist has PushMagic ${MAGIC}`, [['device.push_magic', MAGIC]]],
    ['"Topic shows …" says no side: kept for the question', `Topic shows ${TOPIC}`, [['pasted.topic', TOPIC]]],
    [
      "a certificate subject: the UID is the MDM push certificate's topic",
      `subject=UID = ${TOPIC}, CN = APSP:${UUID}, OU = 2A1B3C4D5E, C = US`,
      [['cert.mdm_topic', TOPIC]],
    ],
    [
      "APSP:<uuid> alone (Fleet's wording): com.apple.mgmt.External.<that uuid>",
      `certificate Fleet now signs pushes with: APSP:${UUID}`,
      [['cert.mdm_topic', TOPIC]],
    ],
    [
      'the topic already-enrolled devices use is the enrolled one, not the push topic',
      `Fleet: topic already-enrolled devices still use: ${TOPIC}`,
      [['server.enrolled_topic', TOPIC]],
    ],
    ['a UDID', `UDID: ${UDID}`, [['device.udid', UDID]]],
    ['an apns-id', `apns-id: ${APNS_ID.toUpperCase()}`, [['case.apns_id', APNS_ID]]],
  ];
  it.each(forms)('%s', async (_what, text, expected) => {
    expect(await pairs(text)).toEqual(expected);
  });
});

describe('times, apns-ids and UDIDs in a paste are kept', () => {
  it('"APNs returned 200 at 09:05": an answer, its wall-clock time kept with an unknown zone', async () => {
    const r = await readPaste(`server topic: ${TOPIC}\nAPNs returned 200 at 09:05`, 'slack message', ctx);
    const answer = r.facts.find((f) => f.name === 'mdm.apns_response');
    expect(answer).toMatchObject({ value: '200', attrs: { status: '200', time: '09:05:00', zone: 'unknown' } });
    expect(answer?.at).toBeUndefined();
  });

  it("with a date the time becomes the fact's time, still marked zone-less; with UTC it is plain UTC", async () => {
    const local = await readPaste(`our MDM pushed; APNs returned 410 Unregistered at 2026-05-04 09:05`, 'slack message', ctx);
    expect(local.facts.find((f) => f.name === 'mdm.apns_response')).toMatchObject({
      value: 'Unregistered',
      at: '2026-05-04T09:05:00.000Z',
      attrs: { zone: 'unknown' },
    });
    const utc = await readPaste(`our MDM pushed; APNs returned 410 Unregistered at 2026-05-04 09:05 UTC`, 'slack message', ctx);
    const f = utc.facts.find((x) => x.name === 'mdm.apns_response');
    expect(f?.at).toBe('2026-05-04T09:05:00.000Z');
    expect(f?.attrs?.zone).toBeUndefined();
  });

  it('an apns-id on the line of the answer goes with the answer', async () => {
    const r = await readPaste(`APNs returned 200 at 09:05, apns-id: ${APNS_ID}`, 'slack message', ctx);
    expect(r.facts.find((f) => f.name === 'apns.response')?.attrs).toMatchObject({ apns_id: APNS_ID });
  });
});

describe('through the CLI', () => {
  it("a Slack-style paste of the server's values and the device's plutil output is compared, with no side question", async () => {
    const paste = [
      'server values (from our MDM DB):',
      `topic: ${TOPIC}`,
      `magic: ${MAGIC}`,
      '',
      '$ plutil -p logs/MCState/Shared/MDM.plist | grep PushMagic',
      '  "PushMagic" => "11111111-2222-4333-8444-555555555555"',
    ].join('\n');
    const report = await diagnoseJson('--paste', paste);
    expect(report.causes.find((c) => c.id === 'mdm.wrong_magic')?.status).toBe('confirmed');
    expect(report.questions.map((q) => q.id)).not.toContain('q.case.pasted_side');
  });

  it('"Topic shows …" alone: whose it is is asked first', async () => {
    const report = await diagnoseJson('--paste', `Topic shows ${TOPIC}`);
    expect(report.questions[0].id).toBe('q.case.pasted_side');
    const answered = await diagnoseJson('--paste', `Topic shows ${TOPIC}`, '--answer', 'q.case.pasted_side=device');
    expect(factsNamed(answered, 'device.topic').map((f) => f.value)).toEqual([TOPIC]);
  });

  it('a paste with nothing recognisable still says so, naming it', async () => {
    const report = await diagnoseJson('--paste', 'hey, any update on the iPads at the Berlin office? they stopped getting pushes');
    expect(report.problems).toEqual([
      expect.objectContaining({ input: '--paste', code: 'paste.unrecognised', message: expect.stringMatching(/holds nothing pushcheck recognises/) }),
    ]);
  });
});

describe('a time typed without a zone, beside a device log that writes its offset', () => {
  // The engineer types when the server's push went out, in the server's local time; the Mac's
  // `log show` export says +0100. 10:05 typed could be 09:05 UTC (Berlin) or 10:05 UTC: a second
  // apart or an hour apart from the device's poll. pushcheck asks before it compares.
  const MDM_TOPIC = 'com.apple.mgmt.External.6c2f4e1a-8b3d-4a5e-9f70-1d2c3b4a5e6f';
  const device = file(
    'mdmclient-berlin.log',
    logShow([
      ['2024-03-04 10:05:01.412331+0100', 'apsd', `[com.apple.apsd:courier] Received message for enabled topic '${MDM_TOPIC}'`],
      ['2024-03-04 10:05:01.801002+0100', 'mdmclient', '[com.apple.ManagedClient:MDMDaemon] Received HTTP response (200) [Idle]'],
    ]),
  );
  const typed = 'our MDM pushed to the iPhone, APNs returned 200 at 2024-03-04 10:05';

  it('asks for the zone first and judges nothing about the push until it is known', async () => {
    const r = await diagnoseJson(device, '--paste', typed, '--topic', MDM_TOPIC);
    expect(r.questions[0].id).toBe('q.case.log_time_zone');
    expect(factsNamed(r, 'server.push_answered')).toEqual([]);
    expect(factsNamed(r, 'mdm.apns_response')[0].attrs).toMatchObject({ zone: 'unknown' });
    expect(r.notes.find((n) => n.id === 'case.note.zone_less_times')?.text).toContain('--paste (2024-03-04 10:05:00, no zone written)');
  });

  it("with the zone answered, the typed time is 09:05 UTC and the device's poll a second later answers it", async () => {
    const r = await diagnoseJson(device, '--paste', typed, '--topic', MDM_TOPIC, '--answer', 'q.case.log_time_zone=Europe/Berlin');
    expect(factsNamed(r, 'server.push_answered').map((f) => [f.value, f.at])).toEqual([[true, '2024-03-04T09:05:00.000Z']]);
    expect(r.questions.map((q) => q.id)).not.toContain('q.case.log_time_zone');
  });

  it('a time with no date ("at 09:05") is kept as typed and never compared with the device\'s clock', async () => {
    const r = await diagnoseJson(device, '--paste', 'our MDM pushed to the iPhone, APNs returned 200 at 09:05', '--topic', MDM_TOPIC);
    expect(factsNamed(r, 'mdm.apns_response')[0]).toMatchObject({ attrs: { time: '09:05:00', zone: 'unknown' } });
    expect(factsNamed(r, 'server.push_answered')).toEqual([]);
    expect(r.notes.map((n) => n.id)).not.toContain('mdm.note.push_answered');
  });
});
