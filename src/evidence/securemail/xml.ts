import { SaxesParser } from 'saxes';

/**
 * Secure Mail's policy XML read with a streaming XML parser (saxes) into a
 * small element tree: the policy readers need siblings and parents, and the
 * line of every element for provenance. The parser keeps going past errors
 * (support bundles get cut off, files get hand-edited), and each error is
 * recorded as an issue. No entity is ever expanded: only the five predefined
 * entities and character references are decoded; a DOCTYPE is skipped, never
 * interpreted, and a reference to an entity it declares stays as written.
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
/** Policy files hold dozens of elements; past this the file is not a policy file. */
const MAX_ELEMENTS = 100_000;
/** Issues kept (the reader shows five): a file of nothing but errors must not make an object per error. */
const MAX_ISSUES = 50;

/** Thrown from a handler to stop reading (the parser itself would go on). */
class Stop extends Error {}

export function scanXml(input: string): XmlScan {
  // A declaration after blank lines is an error to XML, not to the people who save these files.
  const lead = /^\s*/.exec(input)![0];
  const skipped = countLines(lead);
  const text = input.slice(lead.length);
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '', line: 1 };
  const issues: XmlScan['issues'] = [];
  const parser = new SaxesParser({ position: true });
  let cur = root;
  let depth = 0;
  let elements = 0;
  let startLine = 1;
  let closing = false;
  const lineNow = () => parser.line + skipped;

  // saxes answers an end tag that matches nothing open by closing everything open. Here such a tag
  // is noted and ignored, as a person reading the file would: the elements one end tag closed
  // (and the issues they raised) are kept until that tag is known to have matched.
  // One end tag's work happens at one parser position, which is how its events are told apart.
  let closedByOneTag: XmlElement[] = [];
  let issuesBeforeTag = 0;
  let tagAt = -1;
  const sameEndTag = () => {
    if (parser.position === tagAt) return;
    tagAt = parser.position;
    closedByOneTag = [];
    issuesBeforeTag = issues.length;
  };
  // Line of each start tag's "<" (saxes reports the line after its name, which may be a later one).
  let countedTo = 0;
  let linesBefore = 1 + skipped;
  const lineOfTagAt = (lt: number) => {
    for (let i = text.indexOf('\n', countedTo); i >= 0 && i < lt; i = text.indexOf('\n', i + 1)) linesBefore++;
    countedTo = Math.max(countedTo, lt);
    return linesBefore;
  };

  const closeTo = (el: XmlElement) => {
    while (cur !== el) {
      cur = cur.parent!;
      depth--;
    }
    cur = el.parent!;
    depth--;
  };

  parser.on('opentagstart', () => {
    startLine = lineOfTagAt(text.lastIndexOf('<', parser.position));
  });
  parser.on('opentag', (tag) => {
    if (++elements > MAX_ELEMENTS) {
      issues.push({ kind: 'malformed', message: `holds more than ${MAX_ELEMENTS} elements`, line: startLine });
      throw new Stop();
    }
    const el: XmlElement = { name: tag.name, attrs: { ...(tag.attributes as Record<string, string>) }, children: [], text: '', line: startLine, parent: cur };
    cur.children.push(el);
    if (tag.isSelfClosing) return;
    if (depth >= MAX_DEPTH) {
      issues.push({ kind: 'malformed', message: `elements nest deeper than ${MAX_DEPTH} levels`, line: startLine });
      throw new Stop();
    }
    cur = el;
    depth++;
  });
  parser.on('closetag', (tag) => {
    if (tag.isSelfClosing) return;
    sameEndTag();
    if (cur === root) return;
    closedByOneTag.push(cur);
    closeTo(cur);
  });
  const onText = (t: string) => {
    if (cur !== root) cur.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (e) => {
    const what = e.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
    const line = lineNow();
    if (closing) {
      issues.push({ kind: 'truncated', message: what, line });
      return;
    }
    if (what === 'unexpected close tag') {
      // The end tag closed an element around the one just closed for it; more of the same tag follows.
      const el = closedByOneTag[closedByOneTag.length - 1]!;
      if (issues.length < MAX_ISSUES) issues.push({ kind: 'mismatch', message: `<${el.name}> (line ${el.line}) is not closed before the end tag on line ${line}`, line });
      return;
    }
    if (what.startsWith('unmatched closing tag: ')) {
      sameEndTag();
      const name = what.slice('unmatched closing tag: '.length);
      // Take back what this tag closed, then close the nearest open element of that name, if any.
      if (closedByOneTag.length) {
        cur = closedByOneTag[0]!;
        depth = 0;
        for (let e: XmlElement | undefined = cur; e && e !== root; e = e.parent) depth++;
        issues.length = issuesBeforeTag;
      }
      closedByOneTag = [];
      let el: XmlElement | undefined = cur;
      while (el && el !== root && el.name !== name) el = el.parent;
      if (!el || el === root) {
        if (issues.length < MAX_ISSUES) issues.push({ kind: 'mismatch', message: `</${name}> on line ${line} closes nothing that is open`, line });
        return;
      }
      for (let e = cur; e !== el && issues.length < MAX_ISSUES; e = e.parent!) issues.push({ kind: 'mismatch', message: `<${e.name}> (line ${e.line}) is not closed before </${name}>`, line });
      closeTo(el);
      return;
    }
    // Declared entities stay as written, by design; the parser's own count of roots does not know about the
    // tags it was told to ignore.
    if (what === 'undefined entity') return;
    if (cur !== root && (what === 'documents may contain only one root' || what === 'text data outside of root node')) return;
    if (issues.length < MAX_ISSUES) issues.push({ kind: 'malformed', message: `${what} on line ${line}`, line });
  });

  // saxes makes an Error for every error it meets; without stack traces a file of errors stays cheap.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    parser.write(text);
    closing = true;
    const open: string[] = [];
    for (let e: XmlElement | undefined = cur; e && e !== root; e = e.parent) open.push(`<${e.name}> (line ${e.line})`);
    const before = issues.length;
    const endLine = lineNow();
    parser.close();
    const atEnd = issues.splice(before);
    // One issue says it all: where the document stops and what it leaves open.
    const cutInTag = atEnd.some((i) => i.message === 'unexpected end');
    if (!root.children.length) {
      // Not XML at all: what the parser made of it is beside the point.
      issues.length = 0;
      issues.push({ kind: 'malformed', message: 'holds no XML elements', line: 1 });
    } else if (open.length || cutInTag) {
      const still = open.length ? ` with ${open.length} element(s) still open: ${open.slice(0, 3).join(', ')}${open.length > 3 ? ', …' : ''}` : '';
      issues.push({ kind: 'truncated', message: `the document is cut off${cutInTag ? ' inside a tag' : ''}${still}`, line: endLine });
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return { root, issues };
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export function* walk(el: XmlElement): Generator<XmlElement> {
  for (const c of el.children) {
    yield c;
    yield* walk(c);
  }
}
