import { parse as parseXml } from 'plist';
import { normalizeTree, type PlistValue } from './values.js';

export type XmlResult = { ok: true; value: PlistValue } | { ok: false; code: string; message: string };

type ConsoleFn = (...args: unknown[]) => void;

/**
 * Runs fn with console output captured: the XML library reports recoverable
 * errors by printing them (and the text it prints can quote the input, which
 * may hold secrets), so they are collected here and turned into a problem.
 */
function captureConsole<T>(fn: () => T): { result: T; printed: string[] } {
  const printed: string[] = [];
  const keys = ['error', 'warn', 'log', 'info'] as const;
  const saved = keys.map((k) => console[k]);
  const collect: ConsoleFn = (...args) => printed.push(args.map(String).join(' '));
  for (const k of keys) console[k] = collect;
  try {
    return { result: fn(), printed };
  } finally {
    keys.forEach((k, i) => (console[k] = saved[i]));
  }
}

/** "[xmldom error]\tentity not found:&a; \n@#[line:1,col:45]" → "entity not found:&a; (line 1, column 45)" */
function describe(printed: string): string {
  const m = printed.match(/^\[xmldom (?:error|fatalError)\]\s*([\s\S]*?)\s*(?:@#\[line:(\d+),col:(\d+|undefined)\])?\s*$/);
  const what = (m ? m[1] : printed).replace(/\s+/g, ' ').trim().slice(0, 160);
  return m && m[2] && m[2] !== '0' ? `${what} (line ${m[2]}${m[3] && m[3] !== 'undefined' ? `, column ${m[3]}` : ''})` : what;
}

/**
 * Parses XML plist text. Anything the XML parser complains about makes the
 * document unusable: Apple's own plists are always well-formed, so a
 * complaint means truncation or corruption, and half a plist is worse than
 * none (a missing key would read as "absent").
 */
export function parseXmlPlist(text: string, maxObjects: number): XmlResult {
  // Each value is at least one element; counting '<' bounds the work before parsing.
  let tags = 0;
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) if (++tags > maxObjects * 2 + 16) break;
  if (tags > maxObjects * 2 + 16) return { ok: false, code: 'plist.too_many_objects', message: `is an XML plist with more than ${maxObjects} values, over the limit` };
  let value: unknown;
  let printed: string[];
  try {
    ({ result: value, printed } = captureConsole(() => parseXml(text)));
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (e instanceof RangeError) return { ok: false, code: 'plist.too_deep', message: 'is an XML plist nested too deeply to read' };
    if (/First element should be <plist>/.test(msg)) return { ok: false, code: 'plist.not_plist', message: 'is XML but not a property list (its root element is not <plist>)' };
    if (/unclosed xml tag|missing root|end tag name|unexpected end/i.test(msg))
      return { ok: false, code: 'plist.truncated', message: `is an XML plist that ends early or is cut off (${describe(msg)})` };
    return { ok: false, code: 'plist.malformed', message: `is an XML plist that could not be parsed: ${describe(msg)}` };
  }
  const errors = printed.filter((p) => /^\[xmldom (error|fatalError)\]/.test(p));
  if (errors.length) return { ok: false, code: 'plist.malformed', message: `is an XML plist with errors: ${describe(errors[0])}` };
  try {
    return { ok: true, value: normalizeTree(value) };
  } catch {
    return { ok: false, code: 'plist.too_deep', message: 'is an XML plist nested too deeply to read' };
  }
}
