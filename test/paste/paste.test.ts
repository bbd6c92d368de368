import { describe, expect, it } from 'vitest';
import { readPaste } from '../../src/evidence/read.js';
import { serverValues } from '../../src/evidence/paste/index.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';
import type { Fact } from '../../src/facts/schema.js';

const ctx = { limits: DEFAULT_LIMITS };
// The values of nanomdm's TokenUpdate test data (shared/realworld), as people would paste them.
const TOPIC = 'com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9';
const MAGIC = 'CEFDF0BD-E342-4A27-8742-E930EA116B0A';
const TOKEN_B64 = 'R+juwGLC9ynsFwPBs+GPGXHYXwC+dkRdNAgLqnAbX1E=';
const TOKEN_HEX = Buffer.from(TOKEN_B64, 'base64').toString('hex');
const spaced = (hex: string) => hex.match(/.{8}/g)!.join(' ');
const HASH = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** Only the value facts, as [name, value], in paste order. */
async function valuesOf(text: string): Promise<{ pairs: [string, Fact['value']][]; problems: string[]; facts: Fact[] }> {
  const r = await readPaste(text, 'pasted text', ctx);
  const facts = r.facts.filter((f) => !f.name.startsWith('device.log.'));
  // Other readers may look at a paste too (and say e.g. that it holds NUL bytes); these tests are about the paste parser's own problems.
  return { pairs: facts.map((f) => [f.name, f.value]), problems: r.problems.filter((p) => p.code.startsWith('paste.')).map((p) => p.message), facts };
}

describe("the output of the MDM document's own commands counts as the device's", () => {
  const cases: [string, string, [string, string][]][] = [
    [
      'plutil -p on the stubs, grep Topic',
      `$ for a in \`find . -name '*.stub'\`; do plutil -p $a | grep Topic; done\n    "Topic" => "${TOPIC}"`,
      [['device.topic', TOPIC]],
    ],
    [
      'plutil -p MDM.plist | grep PushMagic',
      `% plutil -p logs/MCState/Shared/MDM.plist | grep PushMagic\n  "PushMagic" => "${MAGIC}"`,
      [['device.push_magic', MAGIC]],
    ],
    ['plutil -p output alone (no command shown)', `"PushMagic" => "${MAGIC}"`, [['device.push_magic', MAGIC]]],
    [
      'PlistBuddy … | xxd -l 32 -ps -c 32 (LastPushTokenHash)',
      `$ /usr/libexec/PlistBuddy -c "Print LastPushTokenHash" logs/MCState/Shared/MDM.plist | xxd -l 32 -ps -c 32\n${HASH}`,
      [['device.push_token_hash', HASH]],
    ],
    [
      'xxd -p without -c 32 wraps the hash over two lines',
      `PlistBuddy -c 'Print LastPushTokenHash' MDM.plist | xxd -p\n${HASH.slice(0, 60)}\n${HASH.slice(60)}`,
      [['device.push_token_hash', HASH]],
    ],
    ['PlistBuddy Print PushMagic prints the bare value', `/usr/libexec/PlistBuddy -c "Print PushMagic" MDM.plist\n${MAGIC}`, [['device.push_magic', MAGIC]]],
    [
      'PlistBuddy prints a dict',
      `/usr/libexec/PlistBuddy -c Print MDM.plist\nDict {\n    PushMagic = ${MAGIC}\n    Topic = ${TOPIC}\n}`,
      [
        ['device.push_magic', MAGIC],
        ['device.topic', TOPIC],
      ],
    ],
  ];
  it.each(cases)('%s', async (_what, text, expected) => {
    const { pairs, problems } = await valuesOf(text);
    expect(problems).toEqual([]);
    expect(pairs).toEqual(expected);
  });

  it('plutil -p shortens long data with "...": say so instead of reading half a hash', async () => {
    const { pairs, problems } = await valuesOf('"LastPushTokenHash" => {length = 32, bytes = 0x9f86d081 884c7d65 ... b0f00a08 }');
    expect(pairs).toEqual([]);
    expect(problems).toEqual([expect.stringMatching(/shortened by plutil -p.*PlistBuddy/)]);
  });
});

describe("values labelled as the server's", () => {
  const cases: [string, string, [string, string][]][] = [
    ['server topic <value>', `server topic ${TOPIC}`, [['server.topic', TOPIC]]],
    ['server_magic=', `server_magic=${MAGIC}`, [['server.push_magic', MAGIC]]],
    ['a prose sentence', `the server uses ${TOPIC}`, [['server.topic', TOPIC]]],
    ['"the server\'s token is" in base64, as TokenUpdate carries it', `the server's token is ${TOKEN_B64}`, [['server.push_token', TOKEN_HEX]]],
    [
      'a pushcheck command line',
      `pushcheck diagnose sysdiagnose.tar.gz --topic ${TOPIC} --magic ${MAGIC}`,
      [
        ['server.topic', TOPIC],
        ['server.push_magic', MAGIC],
      ],
    ],
    [
      'a "Server:" heading over key: value lines',
      `Server:\ntopic: ${TOPIC}\nmagic: ${MAGIC}`,
      [
        ['server.topic', TOPIC],
        ['server.push_magic', MAGIC],
      ],
    ],
    ['a server hash is the SHA-256 of its token', `server token hash = ${HASH}`, [['server.push_token_sha256', HASH]]],
  ];
  it.each(cases)('%s', async (_what, text, expected) => {
    const { pairs, problems } = await valuesOf(text);
    expect(problems).toEqual([]);
    expect(pairs).toEqual(expected);
  });
});

describe("values labelled as the device's", () => {
  const cases: [string, string, [string, string][]][] = [
    ['device topic: <value>', `device topic: ${TOPIC}`, [['device.topic', TOPIC]]],
    ["the device's magic is", `the device's magic is ${MAGIC}`, [['device.push_magic', MAGIC]]],
    ['an "On the device:" heading', `On the device:\nPushMagic = "${MAGIC}";`, [['device.push_magic', MAGIC]]],
    ['LastPushTokenHash is a device key whatever the label', `LastPushTokenHash: ${HASH}`, [['device.push_token_hash', HASH]]],
  ];
  it.each(cases)('%s', async (_what, text, expected) => {
    const { pairs, problems } = await valuesOf(text);
    expect(problems).toEqual([]);
    expect(pairs).toEqual(expected);
  });

  it('server and device headings keep their values apart in one paste', async () => {
    const { pairs } = await valuesOf(`Server:\nmagic=${MAGIC}\n\nDevice:\nmagic=11111111-2222-3333-4444-555555555555`);
    expect(pairs).toEqual([
      ['server.push_magic', MAGIC],
      ['device.push_magic', '11111111-2222-3333-4444-555555555555'],
    ]);
  });
});

describe('unlabelled values are kept as pasted.* so the engine asks whose they are', () => {
  const cases: [string, string, [string, string][]][] = [
    ['topic=', `topic=${TOPIC}`, [['pasted.topic', TOPIC]]],
    ['magic: ', `magic: ${MAGIC}`, [['pasted.push_magic', MAGIC]]],
    [
      'several key=value pairs on one line',
      `topic=${TOPIC} magic=${MAGIC} token=${TOKEN_HEX}`,
      [
        ['pasted.topic', TOPIC],
        ['pasted.push_magic', MAGIC],
        ['pasted.push_token', TOKEN_HEX],
      ],
    ],
    ['"device token" is APNs\' word for a push token, not a side', `device_token=${TOKEN_HEX.toUpperCase()}`, [['pasted.push_token', TOKEN_HEX]]],
    ['token in <…> with spaces (NSData description)', `token <${spaced(TOKEN_HEX)}>`, [['pasted.push_token', TOKEN_HEX]]],
    ['token: with spaces, no brackets', `token: ${spaced(TOKEN_HEX)}`, [['pasted.push_token', TOKEN_HEX]]],
    ['token in base64', `token: ${TOKEN_B64}`, [['pasted.push_token', TOKEN_HEX]]],
    [
      'a JSON snippet',
      `{"topic": "${TOPIC}", "push_magic": "${MAGIC}"}`,
      [
        ['pasted.topic', TOPIC],
        ['pasted.push_magic', MAGIC],
      ],
    ],
    ['a bare token on its own line', `<${spaced(TOKEN_HEX)}>`, [['pasted.push_token', TOKEN_HEX]]],
    ['a bare MDM topic', `  ${TOPIC}  `, [['pasted.topic', TOPIC]]],
    ['Slack quote and code marks around the value', `> \`topic = ${TOPIC}\``, [['pasted.topic', TOPIC]]],
  ];
  it.each(cases)('%s', async (_what, text, expected) => {
    const { pairs, problems } = await valuesOf(text);
    expect(problems).toEqual([]);
    expect(pairs).toEqual(expected);
  });

  it('each value says where it was pasted and how it was written', async () => {
    const { facts } = await valuesOf(`hello\nmagic=${MAGIC}`);
    expect(facts).toEqual([
      { name: 'pasted.push_magic', value: MAGIC, source: { kind: 'pasted', input: 'pasted text', line: 2 }, attrs: { written_as: 'key=value' } },
    ]);
  });
});

describe('garbage and near misses', () => {
  const quiet: [string, string][] = [
    ['chat with no values', 'hi, pushes stopped on Monday, any idea?'],
    ['prose that mentions the words', 'the topic looks wrong and the token is fine, magic is a mystery'],
    ['random bytes', '\u0000\u0001\u0002\u00ff garbage ))) ((('],
    ['an empty paste', ''],
    ['a UUID with no label (a command UUID, a UDID?)', '0F6C2A31-91B4-4A52-8D3B-6E1C5A7B9D20'],
    ['a short hex string', 'deadbeef'],
  ];
  it.each(quiet)('%s: no facts, no problems', async (_what, text) => {
    const { pairs, problems } = await valuesOf(text);
    expect(pairs).toEqual([]);
    expect(problems).toEqual([]);
  });

  // Issue 8 item 2 changed these: a value that is masked or almost shaped like one is no longer dropped but kept
  // as value.masked / value.garbled (never compared, named in a note); the problem saying what is wrong stays.
  const attempts: [string, string, RegExp, string | undefined][] = [
    ['a token one digit short', `token=${TOKEN_HEX.slice(0, 63)}`, /token= has 63 hex digits; a push token is 32 bytes, 64 hex digits/, 'value.garbled'],
    ['a token in base64 of the wrong size', 'token: QUJDREVGR0hJSktM', /base64 of 12 bytes; a push token is 32 bytes/, undefined],
    ['a token that is not hex or base64', 'token=not-a-token!', /neither 64 hex digits nor base64/, undefined],
    ['a redacted value copied from a log', 'magic=<private>', /redacted \(<private>\)/, 'value.masked'],
    ['a topic with no dots', 'topic=mdm', /not a push topic/, undefined],
    ['a hash of the wrong length', `LastPushTokenHash: ${HASH.slice(0, 40)}`, /has 40 hex digits; a SHA-256 is 64/, 'value.garbled'],
  ];
  it.each(attempts)('%s: no comparable fact, a problem saying what is wrong', async (_what, text, message, unusable) => {
    const { pairs, problems } = await valuesOf(text);
    expect(pairs.map(([name]) => name)).toEqual(unusable ? [unusable] : []);
    expect(problems).toEqual([expect.stringMatching(message)]);
  });

  it('never repeats a secret in a problem', async () => {
    const bad = TOKEN_HEX.slice(0, 63);
    const { problems } = await valuesOf(`token=${bad}\nmagic=abc`);
    expect(problems).toHaveLength(2);
    for (const p of problems) expect(p).not.toContain(bad);
    for (const p of problems) expect(p).not.toMatch(/value after magic= abc/);
  });
});

describe('a paste that holds log lines', () => {
  it('gives the log facts through the device log reader and no pasted values from the log text', async () => {
    const text = [
      `magic=${MAGIC}`,
      "2024-03-01 10:22:33.123 Df apsd[98:1a] [com.apple.apsd:courier] Received message for enabled topic 'com.apple.mgmt.External.x' onInterface: NonCellular for device token: <private>",
      'mdmd: Rejecting MDM push dictionary because it does not have the right magic string.',
    ].join('\n');
    const r = await readPaste(text, 'slack message', ctx);
    expect(r.problems).toEqual([]);
    expect(r.facts.map((f) => f.name).sort()).toEqual([
      'device.log.magic_rejection',
      'device.log.mdm_lines',
      'device.log.push_received',
      'device.log.redacted',
      'pasted.push_magic',
    ]);
  });
});

describe('serverValues: the --topic / --magic / --token flags', () => {
  it("turns each flag into the server's fact, sourced to the flag", () => {
    const r = serverValues({ topic: TOPIC, magic: MAGIC, token: spaced(TOKEN_HEX) });
    expect(r.problems).toEqual([]);
    expect(r.facts).toEqual([
      { name: 'server.topic', value: TOPIC, source: { kind: 'pasted', input: '--topic' } },
      { name: 'server.push_magic', value: MAGIC, source: { kind: 'pasted', input: '--magic' } },
      { name: 'server.push_token', value: TOKEN_HEX, source: { kind: 'pasted', input: '--token' } },
    ]);
  });

  it('accepts the token in base64 and names another origin when given a label', () => {
    const r = serverValues({ token: TOKEN_B64 }, 'Slack form');
    expect(r.facts).toEqual([{ name: 'server.push_token', value: TOKEN_HEX, source: { kind: 'pasted', input: 'Slack form (token)' } }]);
  });

  it('an invalid token is a problem naming the flag, not a fact', () => {
    const r = serverValues({ token: '1234' });
    expect(r.facts).toEqual([]);
    expect(r.problems).toEqual([
      { input: '--token', code: 'flag.invalid_token', message: '--token: the value has 4 hex digits; a push token is 32 bytes, 64 hex digits' },
    ]);
  });

  it('no flags, no facts', () => {
    expect(serverValues({})).toEqual({ facts: [], problems: [] });
  });
});
