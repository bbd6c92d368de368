import { describe, expect, it } from 'vitest';
import { readBuffer, readText } from '../../src/evidence/dispatch.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';

const ctx = { limits: DEFAULT_LIMITS };
const item = { input: 'slack message', pasted: true };
const MAGIC = 'CEFDF0BD-E342-4A27-8742-E930EA116B0A';

// A paste is read from its text, never turned into bytes and back (that tripled a 32 MiB paste's memory):
// what the readers find must be what they found in its UTF-8 bytes.
describe('a paste read as text reads like its UTF-8 bytes', () => {
  const pastes: [string, string][] = [
    ['server values', `topic=com.apple.mgmt.External.0f3c9a52\nmagic: ${MAGIC}\n`],
    ['a NUL byte from a copied binary', `magic: ${MAGIC}\n\u0000garbage\ntopic com.apple.mgmt.External.0f3c9a52\n`],
    ['a lone surrogate from a broken copy', `magic: ${MAGIC} \ud800 topic=com.apple.mgmt.External.0f3c9a52\n`],
    [
      'device log lines',
      "2024-03-01 10:22:00.123456-0800 0x1f2e3 Default 0x0 98 0 apsd: [com.apple.apsd:connection] Received message for enabled topic 'com.example.app' onInterface: WiFi with payload size 100\n",
    ],
  ];
  it.each(pastes)('%s', async (_what, text) => {
    const asText = await readText(item, text, ctx);
    const asBytes = await readBuffer(item, Buffer.from(text, 'utf8'), ctx);
    expect(asText).toEqual(asBytes);
    expect(asText.facts.length + asText.problems.length).toBeGreaterThan(0);
  });
});
