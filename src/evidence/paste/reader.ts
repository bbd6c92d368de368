import type { Fact, Problem } from '../../facts/schema.js';
import { problemOf, sourceOf, type BufferReader, type ReadResult } from '../types.js';
import { parsePaste, type PastedValue } from './parse.js';

/** Catalog name for a value of each kind and side. */
const FACT: Record<PastedValue['kind'], Record<PastedValue['side'], string>> = {
  topic: { server: 'server.topic', device: 'device.topic', unclear: 'pasted.topic' },
  magic: { server: 'server.push_magic', device: 'device.push_magic', unclear: 'pasted.push_magic' },
  // The device keeps only the hash of its token; a token said to be the device's is still asked about.
  token: { server: 'server.push_token', device: 'pasted.push_token', unclear: 'pasted.push_token' },
  token_hash: { server: 'server.push_token_sha256', device: 'device.push_token_hash', unclear: 'pasted.push_token_hash' },
};

/** Text larger than this is a log or a file, not values someone typed: the log readers take it. */
const MAX_PASTE_FOR_VALUES = 4 * 1024 ** 2;

/**
 * Pasted text (a Slack message, --paste) → the topic / PushMagic / token
 * facts it holds. Log lines in the same paste go to the device log reader.
 */
export const pasteValuesReader: BufferReader = {
  id: 'paste.values',
  kind: 'buffer',
  accepts(_name, _head, item) {
    return item.pasted === true;
  },
  read(data, item): ReadResult {
    if (data.length > MAX_PASTE_FOR_VALUES) return { facts: [], problems: [] };
    const { values, issues } = parsePaste(data.toString('utf8'));
    const facts: Fact[] = values.map((v) => ({
      name: FACT[v.kind][v.side],
      value: v.value,
      source: sourceOf(item, v.line),
      attrs: { written_as: v.form, ...(v.kind === 'token' && v.side === 'device' ? { said_to_be: 'device' } : {}) },
    }));
    const problems: Problem[] = issues.map((i) => problemOf(item, 'paste.invalid_value', `line ${i.line}: the value after ${i.key} ${i.why}`));
    return { facts, problems };
  },
};
