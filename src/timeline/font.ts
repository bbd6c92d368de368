import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

/**
 * The timeline is drawn with DejaVu Sans from the @fontsource/dejavu-sans
 * npm package, so every machine renders the same picture whether or not it
 * has system fonts (a container without fonts would otherwise produce a
 * picture with no text at all). That package ships WOFF only and resvg reads
 * TrueType/OpenType only, so the WOFF is unwrapped into a plain .ttf once.
 */
export const TIMELINE_FONT_FAMILY = 'DejaVu Sans';

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'

/** Unwraps a WOFF 1.0 file into the sfnt (TrueType/OpenType) it wraps. Throws on anything else. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.length < 44 || woff.readUInt32BE(0) !== WOFF_SIGNATURE) throw new Error('not a WOFF 1.0 font');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const tag = woff.readUInt32BE(at);
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const checksum = woff.readUInt32BE(at + 16);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : Buffer.from(raw);
    if (data.length !== origLength) throw new Error('WOFF table has the wrong length after inflating');
    tables.push({ tag, checksum, data });
  }
  let searchRange = 1;
  let entrySelector = 0;
  while (searchRange * 2 <= numTables) {
    searchRange *= 2;
    entrySelector++;
  }
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange * 16, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange * 16, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    header.writeUInt32BE(t.tag, at);
    header.writeUInt32BE(t.checksum, at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(t.data.length, at + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

let cached: string | undefined;

/**
 * Path of a TrueType file for the renderer: PUSHCHECK_TIMELINE_FONT when set,
 * otherwise DejaVu Sans unwrapped from the npm package into the temp folder
 * (written once, atomically, so concurrent processes do not see half a file).
 */
export function timelineFontFile(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.PUSHCHECK_TIMELINE_FONT;
  if (chosen) return chosen;
  if (cached && existsSync(cached)) return cached;
  const require = createRequire(import.meta.url);
  const woffPath = require.resolve('@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff');
  const version = (require('@fontsource/dejavu-sans/package.json') as { version: string }).version;
  const dir = join(tmpdir(), 'pushcheck-fonts');
  const target = join(dir, `dejavu-sans-latin-400-${version}.ttf`);
  if (!existsSync(target)) {
    mkdirSync(dir, { recursive: true });
    const part = `${target}.${process.pid}.part`;
    writeFileSync(part, woffToSfnt(readFileSync(woffPath)));
    renameSync(part, target);
  }
  cached = target;
  return target;
}
