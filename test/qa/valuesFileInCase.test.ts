import { readFileSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zip } from '../archive/support.js';
import { cli } from '../cli/helpers.js';
import { scratchDir } from '../support/scratch.js';

/**
 * Troubleshooting step: "compare the server's PushMagic, token and topic with
 * the device's". The engineer collects the device's MDM.plist and profile stub
 * and a .txt of what the server has on record into one case folder, and hands
 * over the folder, or uploads it zipped. The .txt is read as it is when given
 * on its own: a value pasted into a file.
 */

const example = new URL('../../examples/mdm-wrong-magic/', import.meta.url).pathname;

async function diagnose(input: string) {
  return JSON.parse((await cli('diagnose', input, '--format', 'json')).out);
}

const wrongMagic = (r: { causes: { id: string; status: string }[] }) => r.causes.find((c) => c.id === 'mdm.wrong_magic')?.status;

describe('a case folder with the server values saved as a .txt beside the device files', () => {
  it('given as a folder: the server values are read and the wrong PushMagic is confirmed', async () => {
    const dir = join(scratchDir('pushcheck-case-'), 'case-4711');
    await cp(example, dir, { recursive: true });
    const r = await diagnose(dir);
    expect(r.facts.filter((f: { fact: string }) => f.fact === 'server.push_magic')).toHaveLength(1);
    expect(wrongMagic(r)).toBe('confirmed');
  });

  it('uploaded as a zip of the folder: the same', async () => {
    const names = ['MDM.plist', 'profile-2f7e4c198b3d4a629d056e1f8a7b3c20.stub', 'server-values.txt'];
    const archive = join(scratchDir('pushcheck-case-'), 'case-4711.zip');
    writeFileSync(archive, zip(names.map((n) => ({ path: `case-4711/${n}`, data: readFileSync(join(example, n)) }))));
    const r = await diagnose(archive);
    expect(wrongMagic(r)).toBe('confirmed');
  });
});
