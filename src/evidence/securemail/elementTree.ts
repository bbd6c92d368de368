import { saxes } from '../saxes.js';

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
  const tree = new TreeBuilder(input.slice(lead.length), countLines(lead));
  // saxes makes an Error for every error it meets; without stack traces a file of errors stays cheap.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    tree.read();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return { root: tree.root, issues: tree.issues };
}

interface Tag {
  name: string;
  attributes: unknown;
  isSelfClosing: boolean;
}

/** Builds the element tree from the parser's events, and turns its errors into issues. */
class TreeBuilder {
  readonly root: XmlElement = { name: '#document', attrs: {}, children: [], text: '', line: 1 };
  readonly issues: XmlScan['issues'] = [];
  private readonly parser = new (saxes().SaxesParser)({ position: true });
  private cur: XmlElement = this.root;
  private depth = 0;
  private elements = 0;
  private startLine = 1;
  private closing = false;

  // saxes answers an end tag that matches nothing open by closing everything open. Here such a tag
  // is noted and ignored, as a person reading the file would: the elements one end tag closed
  // (and the issues they raised) are kept until that tag is known to have matched.
  // One end tag's work happens at one parser position, which is how its events are told apart.
  private closedByOneTag: XmlElement[] = [];
  private issuesBeforeTag = 0;
  private tagAt = -1;

  // Line of each start tag's "<" (saxes reports the line after its name, which may be a later one).
  private countedTo = 0;
  private linesBefore: number;

  constructor(
    private readonly text: string,
    private readonly skipped: number,
  ) {
    this.linesBefore = 1 + skipped;
    const p = this.parser;
    p.on('opentagstart', () => {
      this.startLine = this.lineOfTagAt(text.lastIndexOf('<', p.position));
    });
    p.on('opentag', (tag) => this.open(tag));
    p.on('closetag', (tag) => this.close(tag));
    p.on('text', (t) => this.addText(t));
    p.on('cdata', (t) => this.addText(t));
    p.on('error', (e) => this.onError(e.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '')));
  }

  read(): void {
    this.parser.write(this.text);
    this.finish();
  }

  private lineNow(): number {
    return this.parser.line + this.skipped;
  }

  private lineOfTagAt(lt: number): number {
    const text = this.text;
    for (let i = text.indexOf('\n', this.countedTo); i >= 0 && i < lt; i = text.indexOf('\n', i + 1)) this.linesBefore++;
    this.countedTo = Math.max(this.countedTo, lt);
    return this.linesBefore;
  }

  private sameEndTag(): void {
    if (this.parser.position === this.tagAt) return;
    this.tagAt = this.parser.position;
    this.closedByOneTag = [];
    this.issuesBeforeTag = this.issues.length;
  }

  private closeTo(el: XmlElement): void {
    while (this.cur !== el) {
      this.cur = this.cur.parent!;
      this.depth--;
    }
    this.cur = el.parent!;
    this.depth--;
  }

  private open(tag: Tag): void {
    const line = this.startLine;
    if (++this.elements > MAX_ELEMENTS) {
      this.issues.push({ kind: 'malformed', message: `holds more than ${MAX_ELEMENTS} elements`, line });
      throw new Stop();
    }
    const el: XmlElement = { name: tag.name, attrs: { ...(tag.attributes as Record<string, string>) }, children: [], text: '', line, parent: this.cur };
    this.cur.children.push(el);
    if (tag.isSelfClosing) return;
    if (this.depth >= MAX_DEPTH) {
      this.issues.push({ kind: 'malformed', message: `elements nest deeper than ${MAX_DEPTH} levels`, line });
      throw new Stop();
    }
    this.cur = el;
    this.depth++;
  }

  private close(tag: Tag): void {
    if (tag.isSelfClosing) return;
    this.sameEndTag();
    if (this.cur === this.root) return;
    this.closedByOneTag.push(this.cur);
    this.closeTo(this.cur);
  }

  private addText(t: string): void {
    if (this.cur !== this.root) this.cur.text += t;
  }

  private note(issue: XmlScan['issues'][number]): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push(issue);
  }

  private onError(what: string): void {
    const line = this.lineNow();
    if (this.closing) {
      this.issues.push({ kind: 'truncated', message: what, line });
      return;
    }
    if (what === 'unexpected close tag') {
      // The end tag closed an element around the one just closed for it; more of the same tag follows.
      const el = this.closedByOneTag[this.closedByOneTag.length - 1]!;
      this.note({ kind: 'mismatch', message: `<${el.name}> (line ${el.line}) is not closed before the end tag on line ${line}`, line });
      return;
    }
    if (what.startsWith('unmatched closing tag: ')) {
      this.unmatchedEndTag(what.slice('unmatched closing tag: '.length), line);
      return;
    }
    // Declared entities stay as written, by design; the parser's own count of roots does not know about the
    // tags it was told to ignore.
    if (what === 'undefined entity') return;
    if (this.cur !== this.root && (what === 'documents may contain only one root' || what === 'text data outside of root node')) return;
    this.note({ kind: 'malformed', message: `${what} on line ${line}`, line });
  }

  /** Takes back what the end tag closed, then closes the nearest open element of its name, if any. */
  private unmatchedEndTag(name: string, line: number): void {
    this.sameEndTag();
    if (this.closedByOneTag.length) {
      this.cur = this.closedByOneTag[0]!;
      this.depth = 0;
      for (let e: XmlElement | undefined = this.cur; e && e !== this.root; e = e.parent) this.depth++;
      this.issues.length = this.issuesBeforeTag;
    }
    this.closedByOneTag = [];
    let el: XmlElement | undefined = this.cur;
    while (el && el !== this.root && el.name !== name) el = el.parent;
    if (!el || el === this.root) {
      this.note({ kind: 'mismatch', message: `</${name}> on line ${line} closes nothing that is open`, line });
      return;
    }
    for (let e = this.cur; e !== el && this.issues.length < MAX_ISSUES; e = e.parent!)
      this.issues.push({ kind: 'mismatch', message: `<${e.name}> (line ${e.line}) is not closed before </${name}>`, line });
    this.closeTo(el);
  }

  /** The end of the input: one issue says where the document stops and what it leaves open. */
  private finish(): void {
    this.closing = true;
    const open: string[] = [];
    for (let e: XmlElement | undefined = this.cur; e && e !== this.root; e = e.parent) open.push(`<${e.name}> (line ${e.line})`);
    const before = this.issues.length;
    const endLine = this.lineNow();
    this.parser.close();
    const atEnd = this.issues.splice(before);
    const cutInTag = atEnd.some((i) => i.message === 'unexpected end');
    if (!this.root.children.length) {
      // Not XML at all: what the parser made of it is beside the point.
      this.issues.length = 0;
      this.issues.push({ kind: 'malformed', message: 'holds no XML elements', line: 1 });
    } else if (open.length || cutInTag) {
      const still = open.length ? ` with ${open.length} element(s) still open: ${open.slice(0, 3).join(', ')}${open.length > 3 ? ', …' : ''}` : '';
      this.issues.push({ kind: 'truncated', message: `the document is cut off${cutInTag ? ' inside a tag' : ''}${still}`, line: endLine });
    }
  }
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
