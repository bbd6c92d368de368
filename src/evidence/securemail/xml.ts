/**
 * A small, tolerant XML scanner for policy files. Why not a full parser: we
 * need the line of every element (for provenance), we must keep going past a
 * truncated file (support bundles get cut off), and we want no DTD or entity
 * machinery at all — only the five predefined entities and character
 * references are decoded; a DOCTYPE is skipped, never interpreted.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside the element (CDATA included), entity-decoded. */
  text: string;
  /** 1-based line of the start tag. */
  line: number;
  parent?: XmlElement;
}

export interface XmlScan {
  root: XmlElement;
  /** Things wrong with the document, in reading order; empty for well-formed XML. */
  issues: { kind: 'truncated' | 'mismatch' | 'malformed'; message: string; line: number }[];
}

const MAX_DEPTH = 256;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    // Declared entities are never expanded: they stay as written.
    return PREDEFINED[ref] ?? whole;
  });
}

function parseAttrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) out[m[1]] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

export function scanXml(text: string): XmlScan {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '', line: 1 };
  const issues: XmlScan['issues'] = [];
  let cur = root;
  let depth = 0;
  let i = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (text.charCodeAt(k) === 10) line++;
    i = to;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      cur.text += decodeEntities(text.slice(i));
      advance(text.length);
      break;
    }
    if (lt > i) {
      cur.text += decodeEntities(text.slice(i, lt));
      advance(lt);
    }
    const startLine = line;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) {
        issues.push({ kind: 'truncated', message: 'a comment is never closed', line: startLine });
        advance(text.length);
        break;
      }
      advance(end + 3);
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) {
        issues.push({ kind: 'truncated', message: 'a CDATA section is never closed', line: startLine });
        advance(text.length);
        break;
      }
      cur.text += text.slice(i + 9, end);
      advance(end + 3);
      continue;
    }
    if (text.startsWith('<!', i)) {
      // DOCTYPE (maybe with an internal subset in [...]): skipped, not interpreted.
      let k = i + 2;
      let bracket = 0;
      while (k < text.length && !(text[k] === '>' && bracket === 0)) {
        if (text[k] === '[') bracket++;
        else if (text[k] === ']') bracket--;
        k++;
      }
      if (k >= text.length) {
        issues.push({ kind: 'truncated', message: 'a declaration is never closed', line: startLine });
        advance(text.length);
        break;
      }
      advance(k + 1);
      continue;
    }
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) {
        issues.push({ kind: 'truncated', message: 'a processing instruction is never closed', line: startLine });
        advance(text.length);
        break;
      }
      advance(end + 2);
      continue;
    }
    const gt = findTagEnd(text, i + 1);
    if (gt < 0) {
      const next = text.indexOf('<', i + 1);
      if (next < 0 || text.indexOf('>', i) < 0) {
        issues.push({ kind: 'truncated', message: `the tag on line ${startLine} is cut off`, line: startLine });
        advance(text.length);
        break;
      }
      issues.push({ kind: 'malformed', message: `the tag on line ${startLine} is not closed before the next one`, line: startLine });
      advance(next);
      continue;
    }
    const body = text.slice(i + 1, gt);
    advance(gt + 1);
    if (body.startsWith('/')) {
      const name = body.slice(1).trim();
      // Close the nearest open element of that name; a stray end tag is noted and ignored.
      let e: XmlElement | undefined = cur;
      while (e && e !== root && e.name !== name) e = e.parent;
      if (!e || e === root) {
        issues.push({ kind: 'mismatch', message: `</${name}> on line ${startLine} closes nothing that is open`, line: startLine });
        continue;
      }
      if (e !== cur) issues.push({ kind: 'mismatch', message: `<${cur.name}> (line ${cur.line}) is not closed before </${name}>`, line: startLine });
      while (cur !== e) {
        cur = cur.parent!;
        depth--;
      }
      cur = e.parent!;
      depth--;
      continue;
    }
    const selfClosing = body.endsWith('/');
    const inner = selfClosing ? body.slice(0, -1) : body;
    const m = inner.match(/^\s*([^\s/>]+)([\s\S]*)$/);
    if (!m) {
      issues.push({ kind: 'malformed', message: `an unreadable tag on line ${startLine}`, line: startLine });
      continue;
    }
    const el: XmlElement = { name: m[1], attrs: parseAttrs(m[2]), children: [], text: '', line: startLine, parent: cur };
    cur.children.push(el);
    if (!selfClosing) {
      if (depth >= MAX_DEPTH) {
        issues.push({ kind: 'malformed', message: `elements nest deeper than ${MAX_DEPTH} levels`, line: startLine });
        break;
      }
      cur = el;
      depth++;
    }
  }
  if (cur !== root) {
    const open: string[] = [];
    for (let e: XmlElement | undefined = cur; e && e !== root; e = e.parent) open.push(`<${e.name}> (line ${e.line})`);
    issues.push({ kind: 'truncated', message: `the document ends with ${open.length} element(s) still open: ${open.slice(0, 3).join(', ')}${open.length > 3 ? ', …' : ''}`, line });
  }
  if (!root.children.length && !issues.length) issues.push({ kind: 'malformed', message: 'holds no XML elements', line: 1 });
  return { root, issues };
}

/** The '>' that ends a tag, skipping '>' inside quoted attribute values. */
function findTagEnd(text: string, from: number): number {
  let q: string | null = null;
  for (let k = from; k < text.length; k++) {
    const ch = text[k];
    if (q) {
      if (ch === q) q = null;
    } else if (ch === '"' || ch === "'") q = ch;
    else if (ch === '>') return k;
    else if (ch === '<') return -1;
  }
  return -1;
}

export function* walk(el: XmlElement): Generator<XmlElement> {
  for (const c of el.children) {
    yield c;
    yield* walk(c);
  }
}
