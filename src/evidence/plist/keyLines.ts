/**
 * Line numbers of `<key>…</key>` in XML plist text, for provenance. Cheap:
 * one indexOf per key asked, newlines counted up to it. `after` lets a
 * caller look for a key past an earlier one (a payload's own Topic rather
 * than the first Topic in the file).
 */
export interface KeyLines {
  /** 1-based line of the first `<key>name</key>` at or after char offset `after`. */
  line(name: string, after?: number): number | undefined;
  /** Char offset of that key, for chaining. */
  offset(name: string, after?: number): number | undefined;
  /** Line of `<key>name</key>` followed by `<string>value</string>`: exact where a key repeats. */
  pairLine(name: string, value: string, after?: number): number | undefined;
}

export const NO_LINES: KeyLines = { line: () => undefined, offset: () => undefined, pairLine: () => undefined };

export function keyLines(text: string | undefined, base = 0): KeyLines {
  if (!text) return NO_LINES;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const offset = (name: string, after = 0) => {
    const i = text.indexOf(`<key>${esc(name)}</key>`, after);
    return i < 0 ? undefined : i;
  };
  const lineAt = (i: number) => {
    let n = 1;
    for (let j = text.indexOf('\n'); j >= 0 && j < i; j = text.indexOf('\n', j + 1)) n++;
    return n + base;
  };
  return {
    offset,
    line(name, after = 0) {
      const i = offset(name, after);
      return i === undefined ? undefined : lineAt(i);
    },
    pairLine(name, value, after = 0) {
      const re = /[.*+?^${}()|[\]\\]/g;
      const pattern = new RegExp(`<key>${esc(name).replace(re, '\\$&')}</key>\\s*<string>\\s*${esc(value).replace(re, '\\$&')}\\s*</string>`, 'g');
      pattern.lastIndex = after;
      const m = pattern.exec(text);
      return m ? lineAt(m.index) : undefined;
    },
  };
}
