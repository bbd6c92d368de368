import type { Fact, FactValue, Problem } from '../../facts/schema.js';
import { judgeValue, unusableValueFact, type ValueKind } from '../../facts/valueShape.js';
import type { KeyLines } from '../plist/index.js';
import { problemOf, sourceOf, type Item, type ReadResult } from '../types.js';

/**
 * Where facts of one plist go: the item they came from, how to find a key's
 * line (XML only), and the time and attributes a wrapper knows (a webhook's
 * created_at, a fragment's line) that every fact of this plist carries.
 */
export interface PlistOrigin {
  item: Item;
  lines: KeyLines;
  /** Line used when a key's own line is unknown (webhook event, fragment start). */
  line?: number;
  /** When the message was received, if the wrapper says so. */
  at?: string;
  /** attrs.zone of `at` when the wrapper wrote no zone ("unknown") or a non-UTC offset. */
  zone?: string;
  /** The plist came out of a CMS signed envelope. */
  signed?: boolean;
}

export class Collector {
  readonly facts: Fact[] = [];
  readonly problems: Problem[] = [];

  constructor(readonly origin: PlistOrigin) {}

  /** Adds a fact, with the line of `key` (searched past `after`) when it is known. */
  fact(name: string, value: FactValue, opts: { key?: string; after?: number; at?: string; attrs?: Record<string, string | undefined> } = {}): void {
    const lines = this.origin.lines;
    const line =
      (opts.key && typeof value === 'string' ? lines.pairLine(opts.key, value, opts.after) : undefined) ??
      (opts.key ? lines.line(opts.key, opts.after) : undefined) ??
      this.origin.line;
    const attrs = Object.fromEntries(Object.entries(opts.attrs ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    const at = opts.at ?? this.origin.at;
    if (!opts.at && at && this.origin.zone) attrs.zone = this.origin.zone;
    this.facts.push({
      name,
      value,
      source: sourceOf(this.origin.item, line),
      ...(at ? { at } : {}),
      ...(Object.keys(attrs).length ? { attrs } : {}),
    });
  }

  /**
   * Adds a push identity value (topic, PushMagic, token, hash, UDID) once it is
   * judged usable; a masked or garbled one becomes value.masked / value.garbled
   * instead, so that no rule compares it. Returns whether the fact was added.
   */
  value(
    name: string,
    kind: ValueKind,
    raw: string,
    opts: { key?: string; after?: number; at?: string; attrs?: Record<string, string | undefined> } = {},
  ): boolean {
    const j = judgeValue(kind, raw);
    if (j.state === 'ok' || j.state === 'invalid') {
      // A value of no known shape (an EnrollmentID, a server's own magic) is still what the file says.
      this.fact(name, j.state === 'ok' ? j.value : raw, opts);
      return true;
    }
    const before = this.facts.length;
    this.fact(name, raw, opts);
    const placed = this.facts.splice(before, 1)[0];
    this.facts.push(
      unusableValueFact(name, kind, raw, j, placed.source, { ...(placed.at ? { at: placed.at } : {}), ...(opts.key ? { attrs: { key: opts.key } } : {}) }),
    );
    return false;
  }

  /** Records data that should be a token or hash but has the wrong length: garbled, never compared. */
  garbled(name: string, kind: ValueKind, bytes: Buffer, why: string, key: string): void {
    const before = this.facts.length;
    this.fact(name, bytes.toString('hex'), { key });
    const placed = this.facts.splice(before, 1)[0];
    this.facts.push(unusableValueFact(name, kind, bytes.toString('hex'), { state: 'garbled', why }, placed.source, { attrs: { key } }));
  }

  problem(code: string, message: string): void {
    this.problems.push(problemOf(this.origin.item, code, message));
  }

  result(): ReadResult {
    return { facts: this.facts, problems: this.problems };
  }
}
