import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch.js';
import { outcomeOf } from './measure.js';

/**
 * An enrollment profile reaches support signed, as the server serves it (a CMS envelope), or decoded by
 * `security cms -D -i enroll.mobileconfig` into its plain XML plist, saved under whatever name the engineer
 * chose. Both are the same profile: the same facts, but that the decoded one carries no signature, and the
 * same verdict.
 */
const signed = readFileSync(new URL('../fixtures/mdm/enroll_signed.mobileconfig', import.meta.url));
/** What `security cms -D` prints: the envelope's content, the XML plist as the server wrote it. */
const decoded = signed.subarray(signed.indexOf('<?xml'), signed.indexOf('</plist>') + '</plist>'.length + 1);

let n = 0;
const dir = () => `${scratchDir('pushcheck-profile-forms-')}/${++n}`;
const unsigned = (facts: string[]) => facts.map((f) => f.replace('{"name":"profile.signed","value":true}', '{"name":"profile.signed","value":false}'));

describe('a signed .mobileconfig and the same profile decoded by security cms -D', () => {
  it.each([
    ['enroll.mobileconfig', decoded],
    ['enroll.plist', decoded],
    ['enroll.xml', decoded],
    ['enroll.txt', decoded],
    [
      'enroll.plist (UTF-16, saved again on Windows)',
      Buffer.from(`\uFEFF${decoded.toString('utf8').replace('encoding="UTF-8"', 'encoding="UTF-16"')}`, 'utf16le'),
    ],
  ] as const)('%s gives the signed profile’s facts (unsigned) and its verdict', async (name, data) => {
    const fromSigned = await outcomeOf(dir(), [{ name: 'enroll.mobileconfig', data: signed }]);
    expect(fromSigned.facts.some((f) => f.includes('"profile.topic"'))).toBe(true);
    const fromDecoded = await outcomeOf(dir(), [{ name: name.split(' ')[0]!, data }]);
    expect(fromDecoded.facts).toEqual(unsigned(fromSigned.facts));
    expect(fromDecoded.verdict).toEqual(fromSigned.verdict);
    expect(fromDecoded.problems).toEqual([]);
  });
});
