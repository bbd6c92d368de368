import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseService } from '../../src/case/index.js';
import { MAX_VALUES_FILE_BYTES } from '../../src/evidence/paste/file.js';
import type { Report } from '../../src/report/types.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { cli } from '../cli/helpers.js';

/**
 * An engineer saves what the MDM server has on record to a small text file
 * and hands pushcheck the file instead of pasting it. No reader knows a
 * .txt of values, so it is read as a paste would be, as the last resort,
 * and every value is placed by the file's name and line.
 */

const TOPIC = 'com.apple.mgmt.External.4b2d9c1e-7a35-4f60-9e8d-2c1b0a9f8e7d';
const SERVER_MAGIC = '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03';
const DEVICE_MAGIC = '8E41B7C2-5D0A-4F93-A6E1-3C7B29D054F8';
const TOKEN = '9f3c2a71d4e85b06c1a7f02e3d9b84c65e1f07a2b3c4d5e6f708192a3b4c5d6e';

const VALUES = [
  'What the MDM server has on record for this device (copied from its admin page):',
  `server topic: ${TOPIC}`,
  `server PushMagic: ${SERVER_MAGIC}`,
  `server token: ${TOKEN}`,
  '',
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'pushcheck-values-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};

async function diagnose(...argv: string[]): Promise<Report> {
  const r = await cli('diagnose', ...argv, '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Report;
}

const factOf = (r: Report, name: string) => r.facts.find((f) => f.fact === name);

describe('the server values saved to a .txt and given as a path', () => {
  it('become the server facts, each placed by the file and its line rather than "pasted"', async () => {
    const path = file('server-values.txt', VALUES);
    const r = await diagnose(path);
    expect(r.problems.filter((p) => p.input === path)).toEqual([]);
    expect(factOf(r, 'server.topic')).toMatchObject({ value: TOPIC, origin: { kind: 'file', input: path, line: 2 } });
    expect(factOf(r, 'server.push_magic')).toMatchObject({ value: SERVER_MAGIC, origin: { kind: 'file', input: path, line: 3 } });
    expect(factOf(r, 'server.push_token')).toMatchObject({ value: TOKEN, origin: { kind: 'file', input: path, line: 4 } });
  });

  it("the example case's own server-values.txt, given as a path beside the device's MDM.plist, confirms the wrong PushMagic", async () => {
    const example = (name: string) => new URL(`../../examples/mdm-wrong-magic/${name}`, import.meta.url).pathname;
    const r = await diagnose(example('server-values.txt'), example('MDM.plist'));
    expect(r.causes.find((c) => c.id === 'mdm.wrong_magic')?.status).toBe('confirmed');
    expect(r.problems).toEqual([]);
    // The report names the place in people's words: the file and its line.
    const text = await cli('diagnose', example('server-values.txt'), example('MDM.plist'));
    expect(text.out).toContain(`PushMagic the MDM server puts in its pushes: ${SERVER_MAGIC} — server-values.txt line 3`);
    expect(text.out).not.toMatch(/pasted/i);
  });

  it('a value that cannot be right is a problem naming the file and line, as in a paste', async () => {
    const path = file('bad-values.txt', `server topic: ${TOPIC}\nserver PushMagic: not-a-magic!\n`);
    const r = await diagnose(path);
    expect(factOf(r, 'server.topic')?.origin).toMatchObject({ kind: 'file', input: path, line: 1 });
    expect(r.problems.filter((p) => p.input === path).map((p) => [p.code, p.message])).toEqual([
      ['paste.invalid_value', expect.stringMatching(/^line 2: the value after server PushMagic: is not a PushMagic/)],
    ]);
  });

  it("both sides in one file: the device's PushMagic is the device's, and the mismatch is found", async () => {
    const path = file('both-sides.txt', `${VALUES}device PushMagic: ${DEVICE_MAGIC}\n`);
    const r = await diagnose(path);
    expect(factOf(r, 'device.push_magic')).toMatchObject({ value: DEVICE_MAGIC, origin: { kind: 'file', input: path, line: 5 } });
    expect(r.causes.find((c) => c.id === 'mdm.wrong_magic')?.status).not.toBe('ruled_out');
  });
});

describe('what is not a file of values stays unrecognised', () => {
  it('a note in prose with no value in it', async () => {
    const path = file('notes.txt', 'The iPad in room 4 stopped picking up commands after the weekend.\nUser says it was fine on Friday.\n');
    const r = await diagnose(path);
    expect(r.problems.filter((p) => p.input === path).map((p) => p.code)).toEqual(['input.unrecognised']);
    expect(r.facts.filter((f) => f.origin.kind === 'file' && f.origin.input === path)).toEqual([]);
  });

  it('a file larger than a person would type: a log, however its lines look', async () => {
    const filler = 'nothing of interest on this line, only noise from a service that talks a lot\n';
    const path = file('big.txt', `${VALUES}${filler.repeat(Math.ceil(MAX_VALUES_FILE_BYTES / filler.length))}`);
    const r = await diagnose(path);
    expect(factOf(r, 'server.push_magic')).toBeUndefined();
    expect(r.problems.filter((p) => p.input === path).map((p) => p.code)).toEqual(['input.unrecognised']);
  });

  it('binary data that happens to hold the words', async () => {
    const path = file('values.bin', Buffer.concat([Buffer.from(VALUES), Buffer.from([0, 1, 2, 0xff, 0xfe, 0])]));
    const r = await diagnose(path);
    expect(factOf(r, 'server.push_magic')).toBeUndefined();
  });
});

describe('the same file uploaded to a Slack thread', () => {
  it("is read from the download stream the same way, placed by the uploaded file's name", async () => {
    const store = new SqliteStore({ path: ':memory:', retentionMs: 86_400_000 });
    try {
      const cases = new CaseService(store);
      const key = 'CSUPPORT:1763715600.000100';
      await cases.open(key, { channel: 'CSUPPORT', threadTs: '1763715600.000100' });
      const out = await cases.addFile(
        key,
        { name: 'server-values.txt', stream: Readable.from([Buffer.from(VALUES)]) },
        { by: 'U0HUMAN7Q2', at: '2025-11-21T09:30:00.000Z' },
      );
      expect(out.newProblems).toEqual([]);
      expect(factOf(out.report, 'server.push_magic')).toMatchObject({ value: SERVER_MAGIC, origin: { kind: 'file', input: 'server-values.txt', line: 3 } });
    } finally {
      store.close();
    }
  });
});
