import type { Fact, Problem } from '../../facts/schema.js';
import { unusableValueFact } from '../../facts/valueShape.js';
import { problemOf, sourceOf, type BufferReader, type Item, type ReadResult } from '../types.js';
import { parsePaste } from './parse.js';
import type { PastedValue } from './pasteState.js';

/** Catalog name for a value of each kind and side. */
const FACT: Record<Exclude<PastedValue['kind'], 'apns_id' | 'udid'>, Record<PastedValue['side'], string>> = {
  topic: { server: 'server.topic', device: 'device.topic', unclear: 'pasted.topic' },
  magic: { server: 'server.push_magic', device: 'device.push_magic', unclear: 'pasted.push_magic' },
  // The device keeps only the hash of its token; a token said to be the device's is still asked about.
  token: { server: 'server.push_token', device: 'pasted.push_token', unclear: 'pasted.push_token' },
  token_hash: { server: 'server.push_token_sha256', device: 'device.push_token_hash', unclear: 'pasted.push_token_hash' },
};

/** The topic devices enrolled with is not the one the server pushes on (seed 000: a replaced certificate). */
const ENROLLED_TOPIC: Record<PastedValue['side'], string> = { server: 'server.enrolled_topic', device: 'device.topic', unclear: 'pasted.topic' };

function factName(v: PastedValue): string {
  if (v.kind === 'apns_id') return 'case.apns_id';
  if (v.kind === 'udid') return 'device.udid';
  if (v.kind === 'topic' && v.role === 'certificate') return 'cert.mdm_topic';
  if (v.kind === 'topic' && v.role === 'enrolled') return ENROLLED_TOPIC[v.side];
  return FACT[v.kind][v.side];
}

/** Text larger than this is a log or a file, not values someone typed: the log readers take it. */
const MAX_PASTE_FOR_VALUES = 4 * 1024 ** 2;

/**
 * The values in text a person wrote, as facts placed by the item (the paste,
 * or a file and its line), and a problem for each value that cannot be right.
 */
export function pastedValues(data: Buffer, item: Item): ReadResult {
  if (data.length > MAX_PASTE_FOR_VALUES) return { facts: [], problems: [] };
  const { values, issues, cut } = parsePaste(data.toString('utf8'));
  const facts: Fact[] = values.map((v) => {
    const name = factName(v);
    const source = sourceOf(item, v.line);
    if (v.state !== 'ok' && v.kind !== 'apns_id')
      return unusableValueFact(name, v.kind, v.value, { state: v.state, why: v.why ?? '' }, source, { attrs: { written_as: v.form } });
    return {
      name,
      value: v.value,
      source,
      attrs: { written_as: v.form, ...(v.kind === 'token' && v.side === 'device' ? { said_to_be: 'device' } : {}) },
    };
  });
  const problems: Problem[] = issues.map((i) => problemOf(item, 'paste.invalid_value', `line ${i.line}: the value after ${i.key} ${i.why}`));
  if (cut)
    problems.push(
      problemOf(
        item,
        'paste.cut',
        `is cut off: the plutil -p output that opens on line ${cut.from} ends at line ${cut.last} without its closing "}". The values before the cut were read; whatever came after it is missing (paste the whole output, or attach the sysdiagnose)`,
      ),
    );
  return { facts, problems };
}

/**
 * Pasted text (a Slack message, --paste) → the topic / PushMagic / token /
 * UDID / apns-id facts it holds. Log lines in the same paste go to the log
 * readers. Masked and garbled values become value.masked / value.garbled.
 */
export const pasteValuesReader: BufferReader = {
  id: 'paste.values',
  kind: 'buffer',
  accepts(_name, _head, item) {
    return item.pasted === true;
  },
  read: (data, item) => pastedValues(data, item),
};
