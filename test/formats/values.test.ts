import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch.js';
import { outcomeOf } from './measure.js';

/**
 * The server's topic and PushMagic, copied into a .txt on a Windows machine and attached: Notepad or
 * PowerShell saved it as UTF-16 (or UTF-8 behind a BOM). Read like the same values saved as plain UTF-8.
 */
const VALUES = 'Topic: com.apple.mgmt.External.6c2f4e1a-8b3d-4a5e-9f70-1d2c3b4a5e6f\r\nPushMagic: 7E3B1C9A-4D2F-4A6B-8C5E-0F1A2B3C4D5E\r\n';
let n = 0;
const dir = () => `${scratchDir('pushcheck-values-forms-')}/${++n}`;

describe('server values saved to a text file on Windows', () => {
  it.each([
    ['UTF-16 LE', Buffer.from(`\uFEFF${VALUES}`, 'utf16le')],
    ['UTF-16 BE', Buffer.from(`\uFEFF${VALUES}`, 'utf16le').swap16()],
    ['UTF-8 with a BOM', Buffer.from(`\uFEFF${VALUES}`, 'utf8')],
  ] as const)('%s gives the values of the plain file', async (_name, data) => {
    const plain = await outcomeOf(dir(), [{ name: 'server-values.txt', data: VALUES }]);
    expect(plain.facts.some((f) => f.includes('pasted.push_magic'))).toBe(true);
    const got = await outcomeOf(dir(), [{ name: 'server-values.txt', data }]);
    expect(got.facts).toEqual(plain.facts);
    expect(got.problems).toEqual([]);
  });
});
