import { readFileSync } from 'node:fs';
import { readBuffer } from '../../src/evidence/dispatch.js';
import { DEFAULT_LIMITS, type Item, type Limits, type ReadResult, type Reader } from '../../src/evidence/types.js';
import type { Fact } from '../../src/facts/schema.js';

export const fixture = (name: string) => new URL(`../fixtures/mdm/${name}`, import.meta.url);

/** Reads bytes through the real dispatcher and every real reader, as the CLI does. */
export function read(item: Item | string, data: Buffer, limits: Partial<Limits> = {}, readers?: readonly Reader[]): Promise<ReadResult> {
  const it = typeof item === 'string' ? { input: item } : item;
  return readBuffer(it, data, { limits: { ...DEFAULT_LIMITS, ...limits } }, readers);
}

export function readFixture(name: string, item?: Item): Promise<ReadResult> {
  return read(item ?? name, readFileSync(fixture(name)));
}

export function values(r: ReadResult, name: string): Fact['value'][] {
  return r.facts.filter((f) => f.name === name).map((f) => f.value);
}

export function only(r: ReadResult, name: string): Fact {
  const all = r.facts.filter((f) => f.name === name);
  if (all.length !== 1) throw new Error(`expected one ${name}, found ${all.length}: ${JSON.stringify(all.map((f) => f.value))}`);
  return all[0];
}

/** Problems raised by plist / MDM reading (other domains' readers may have their own say about a file). */
export function mdmProblems(r: ReadResult) {
  return r.problems.filter((p) => /^(plist|mdm)\.|^reader\.failed$|^input\.unrecognised$/.test(p.code));
}

/**
 * A tiny binary plist writer for crafted input: objects are given already
 * encoded, references by index, so tests can build cycles, dangling
 * references and lying trailers that no honest writer would produce.
 */
export const bp = {
  ascii(s: string): Buffer {
    const b = Buffer.from(s, 'latin1');
    return b.length < 15 ? Buffer.concat([Buffer.from([0x50 | b.length]), b]) : Buffer.concat([Buffer.from([0x5f, 0x10, b.length]), b]);
  },
  data(d: Buffer): Buffer {
    return d.length < 15 ? Buffer.concat([Buffer.from([0x40 | d.length]), d]) : Buffer.concat([Buffer.from([0x4f, 0x10, d.length]), d]);
  },
  array(refs: number[]): Buffer {
    return Buffer.from([0xa0 | refs.length, ...refs]);
  },
  dict(keys: number[], vals: number[]): Buffer {
    return Buffer.from([0xd0 | keys.length, ...keys, ...vals]);
  },
  build(objects: Buffer[], opts: { top?: number; count?: number; tableOffset?: number } = {}): Buffer {
    const head = Buffer.from('bplist00', 'latin1');
    const offsets: number[] = [];
    let pos = head.length;
    for (const o of objects) {
      offsets.push(pos);
      pos += o.length;
    }
    const table = Buffer.alloc(objects.length * 2);
    offsets.forEach((o, i) => table.writeUInt16BE(o, i * 2));
    const trailer = Buffer.alloc(32);
    trailer[6] = 2; // offset size
    trailer[7] = 1; // reference size
    trailer.writeBigUInt64BE(BigInt(opts.count ?? objects.length), 8);
    trailer.writeBigUInt64BE(BigInt(opts.top ?? 0), 16);
    trailer.writeBigUInt64BE(BigInt(opts.tableOffset ?? pos), 24);
    return Buffer.concat([head, ...objects, table, trailer]);
  },
};
