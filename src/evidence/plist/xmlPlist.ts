import { saxes } from '../saxes.js';
import type { PlistDict, PlistValue } from './values.js';

export type XmlResult = { ok: true; value: PlistValue } | { ok: false; code: string; message: string };

/** Containers open at once; Apple's plists nest a few levels, and the value tree is walked recursively later. */
const MAX_DEPTH = 1000;

const LEAVES = new Set(['key', 'string', 'integer', 'real', 'date', 'data', 'true', 'false', 'null']);

class PlistError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Container {
  kind: 'plist' | 'dict' | 'array';
  values: PlistValue[];
  dict?: PlistDict;
  /** In a dict: the key waiting for its value (undefined: a key is expected next). */
  key?: string;
}

/** An ISO date without a zone is read as UTC (as plists write them), never in the process's own zone. */
function dateOf(text: string): Date {
  const t = text.trim();
  return new Date(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t) ? `${t}Z` : t);
}

function leafValue(name: string, text: string): PlistValue {
  switch (name) {
    case 'key':
    case 'string':
      return text;
    case 'integer':
      if (!text.trim()) throw new PlistError('plist.malformed', 'is an XML plist with an empty <integer>');
      return parseInt(text, 10);
    case 'real':
      if (!text.trim()) throw new PlistError('plist.malformed', 'is an XML plist with an empty <real>');
      return parseFloat(text);
    case 'date':
      if (!text.trim()) throw new PlistError('plist.malformed', 'is an XML plist with an empty <date>');
      return dateOf(text);
    case 'data': {
      const b64 = text.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) throw new PlistError('plist.malformed', 'is an XML plist whose <data> is not base64');
      return Buffer.from(b64, 'base64');
    }
    case 'true':
      return true;
    case 'false':
      return false;
    default:
      return null;
  }
}

/**
 * Parses XML plist text into the value tree, with a streaming XML parser
 * and no document tree in between: memory is the values themselves, the
 * work is one pass, and it stops at the first error. Anything the XML
 * parser objects to makes the document unusable: Apple's own plists are
 * always well-formed, so an error means truncation or corruption, and half a
 * plist is worse than none (a missing key would read as "absent").
 */
export function parseXmlPlist(text: string, maxObjects: number): XmlResult {
  const builder = new ValueBuilder(maxObjects);
  const parser = new (saxes().SaxesParser)({ position: true });
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => builder.open(tag.name));
  parser.on('text', (t) => builder.text(t));
  parser.on('cdata', (t) => builder.text(t));
  parser.on('closetag', () => builder.close());
  let closing = false;
  try {
    parser.write(text);
    closing = true;
    parser.close();
  } catch (e) {
    if (e instanceof PlistError) return { ok: false, code: e.code, message: e.message };
    const what = describe((e as Error).message);
    // The parser only finds out at the end that an element was never closed: the text is cut short.
    if (closing) return { ok: false, code: 'plist.truncated', message: `is an XML plist that ends early or is cut off (${what})` };
    return { ok: false, code: 'plist.malformed', message: `is an XML plist with errors: ${what}` };
  }
  const root = builder.root;
  if (!root) return { ok: false, code: 'plist.truncated', message: 'is an XML plist that ends early or is cut off (no closing </plist>)' };
  // <plist> holds one value; anything else is read as the list of what it holds.
  return { ok: true, value: root.length === 1 ? root[0]! : root };
}

/** The end of a whole value: a closed leaf other than a key, an empty element, or a closed container. */
const VALUE_END = /<\/(?:string|integer|real|date|data|dict|array)\s*>|<(?:true|false|dict|array|string)\s*\/>/g;
const CONTAINER_TAG = /<(\/?)(plist|dict|array)\b[^>]*?(\/?)>/g;

/**
 * XML plist text cut off part way (a paste that stopped short, `plutil -convert xml1 -o -` copied in part):
 * the values that end before the cut, with the containers open there closed, and the line of the last one.
 * Undefined when nothing whole is left. A value cut in the middle, and a key whose value never came, are left out.
 */
export function parseXmlPlistPrefix(text: string, maxObjects: number): { value: PlistValue; lastLine: number } | undefined {
  let end = -1;
  for (const m of text.matchAll(VALUE_END)) end = m.index + m[0].length;
  if (end < 0) return undefined;
  const prefix = text.slice(0, end);
  const open: string[] = [];
  for (const m of prefix.matchAll(CONTAINER_TAG)) {
    if (m[3]) continue;
    if (m[1]) open.pop();
    else open.push(m[2]!);
  }
  if (open[0] !== 'plist') return undefined;
  const r = parseXmlPlist(
    `${prefix}${open
      .reverse()
      .map((t) => `</${t}>`)
      .join('')}`,
    maxObjects,
  );
  if (!r.ok) return undefined;
  return { value: r.value, lastLine: prefix.split('\n').length };
}

/** Builds the value tree from the parser's events; throws a PlistError at the first thing a plist cannot hold. */
class ValueBuilder {
  /** What <plist> held, once it closed. */
  root: PlistValue[] | undefined;
  private readonly stack: Container[] = [];
  private sawRoot = false;
  private leaf: { name: string; text: string } | undefined;
  private objects = 0;

  constructor(private readonly maxObjects: number) {}

  open(name: string): void {
    if (!this.sawRoot) {
      this.sawRoot = true;
      if (name !== 'plist') throw new PlistError('plist.not_plist', 'is XML but not a property list (its root element is not <plist>)');
      this.stack.push({ kind: 'plist', values: [] });
      return;
    }
    if (this.leaf) throw new PlistError('plist.malformed', `is an XML plist with <${name}> inside <${this.leaf.name}>`);
    if (!this.stack.length) throw new PlistError('plist.malformed', `is an XML plist with <${name}> after its end`);
    if (++this.objects > this.maxObjects)
      throw new PlistError('plist.too_many_objects', `is an XML plist with more than ${this.maxObjects} values, over the limit`);
    if (name === 'dict' || name === 'array') {
      if (this.stack.length >= MAX_DEPTH) throw new PlistError('plist.too_deep', 'is an XML plist nested too deeply to read');
      this.stack.push(name === 'dict' ? { kind: 'dict', values: [], dict: Object.create(null) as PlistDict } : { kind: 'array', values: [] });
    } else if (LEAVES.has(name)) {
      this.leaf = { name, text: '' };
    } else {
      throw new PlistError('plist.malformed', `is an XML plist with an element <${name.slice(0, 40)}> that plists do not have`);
    }
  }

  text(t: string): void {
    if (this.leaf) this.leaf.text += t;
  }

  close(): void {
    if (this.leaf) {
      const { name, text } = this.leaf;
      this.leaf = undefined;
      this.add(leafValue(name, text), name === 'key');
      return;
    }
    const done = this.stack.pop();
    if (!done) return;
    if (done.kind === 'plist') {
      this.root = done.values;
      return;
    }
    if (done.kind === 'array') return this.add(done.values, false);
    // A key left without its value reads as an empty string (as Apple's own parser does).
    if (done.key !== undefined) done.dict![done.key] = '';
    this.add(done.dict!, false);
  }

  private add(v: PlistValue, isKey: boolean): void {
    const top = this.stack[this.stack.length - 1]!;
    if (top.kind !== 'dict') {
      if (isKey) throw new PlistError('plist.malformed', `is an XML plist with a <key> inside <${top.kind}>`);
      if (!(top.kind === 'array' && v === null)) top.values.push(v);
      return;
    }
    if (top.key === undefined) {
      if (!isKey) throw new PlistError('plist.malformed', 'is an XML plist whose <dict> has a value where a <key> should be');
      if (v === '__proto__') throw new PlistError('plist.malformed', 'is an XML plist with a key named __proto__');
      top.key = v as string;
    } else {
      if (isKey) throw new PlistError('plist.malformed', 'is an XML plist whose <dict> has two <key>s in a row');
      top.dict![top.key] = v;
      top.key = undefined;
    }
  }
}

/** "undefined:1:45: undefined entity." → "undefined entity (line 1, column 45)"; never quotes the text itself. */
function describe(message: string): string {
  const m = /^(?:[^:]*:)?(\d+):(\d+): ([\s\S]*)$/.exec(message);
  const what = (m ? m[3]! : message).replace(/\s+/g, ' ').replace(/\.$/, '').trim().slice(0, 160);
  return m ? `${what} (line ${m[1]}, column ${m[2]})` : what;
}
