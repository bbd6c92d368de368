import { expandFacts, FactFolder } from '../../facts/fold.js';
import type { Fact } from '../../facts/schema.js';
import { sourceOf, type Item } from '../types.js';

/**
 * What the MDM server log reader keeps: its facts folded as they are read
 * (facts/fold.ts), so half a million status lines hold a few columns rather
 * than half a million records waiting for the end of the file.
 */

export interface Observed {
  name: string;
  value: Fact['value'];
  line: number;
  at?: string;
  attrs: Record<string, string>;
}

export class ServerLogFacts {
  private readonly folder = new FactFolder();
  /** Command UUIDs of facts that named no RequestType when read: a later line may still name it. */
  private readonly unresolved = new Set<string>();
  /** Attribute values held as strings of their own: a slice of a log line keeps the whole line alive. */
  private readonly strings = new Map<string, string>();
  private last?: Record<string, string>;

  constructor(
    private readonly item: Item,
    /** RequestType by command UUID, as learned so far (the reader keeps learning it). */
    private readonly requestTypes: ReadonlyMap<string, string>,
  ) {}

  add(p: Observed): void {
    // A status line seldom names its command's type; the enqueue or hand-out line earlier (or later) did.
    const uuid = p.attrs.command_uuid;
    if (uuid && !p.attrs.request_type) {
      const rt = this.requestTypes.get(uuid);
      if (rt) p.attrs.request_type = rt;
      else if (this.unresolved.size < 100_000) this.unresolved.add(uuid);
    }
    const attrs = this.shared(p.attrs);
    const f: Fact = { name: p.name, value: p.value, source: sourceOf(this.item, p.line) };
    if (p.at) f.at = p.at;
    f.attrs = attrs;
    this.folder.add(f);
  }

  facts(): Fact[] {
    const facts = this.folder.facts();
    // Only when a RequestType turned up after lines that needed it are those lines read again.
    for (const uuid of this.unresolved) if (this.requestTypes.has(uuid)) return this.withLateTypes(facts);
    return facts;
  }

  /**
   * The facts again, each observation given the RequestType its command UUID
   * was later found to have, folded anew. The first observation of each fact
   * keeps its attributes as read, so what is shown is what the reader wrote.
   */
  private withLateTypes(facts: Fact[]): Fact[] {
    const all: Fact[] = [];
    for (const f of facts) {
      if (!f.fold) {
        all.push(f);
        continue;
      }
      const obs = expandFacts([f]);
      const { fold: _fold, ...first } = f;
      obs[0] = first;
      for (let i = 1; i < obs.length; i++) obs[i] = { ...obs[i], attrs: inOrderOf(first.attrs, obs[i].attrs) };
      for (const o of obs) all.push(o);
    }
    // Reading order across facts, as the lines came (stable: facts of one line keep their order).
    all.sort((a, b) => lineOf(a) - lineOf(b));
    const folder = new FactFolder();
    for (const f of all) {
      const uuid = f.attrs?.command_uuid;
      const rt = uuid && !f.attrs!.request_type ? this.requestTypes.get(uuid) : undefined;
      folder.add(rt ? { ...f, attrs: { ...f.attrs, request_type: rt } } : f);
    }
    return folder.facts();
  }

  /**
   * What a busy log's lines say again and again (the same device, connection
   * and command) is held once: the values as their own strings, and the whole
   * set when it matches the previous line's.
   */
  private shared(attrs: Record<string, string>): Record<string, string> {
    let same = this.last !== undefined;
    let n = 0;
    for (const k in attrs) {
      attrs[k] = this.own(attrs[k]);
      n++;
      if (same && this.last![k] !== attrs[k]) same = false;
    }
    if (same) {
      let m = 0;
      for (const _ in this.last) m++;
      if (m === n) return this.last!;
    }
    this.last = attrs;
    return attrs;
  }

  private own(v: string): string {
    let k = this.strings.get(v);
    if (k === undefined) {
      k = v.length < 13 ? v : `${v} `.slice(0, -1);
      // Bounded: a log of only distinct values costs what it did before.
      if (this.strings.size < 50_000) this.strings.set(k, k);
    }
    return k;
  }
}

function lineOf(f: Fact): number {
  return f.source.kind === 'file' || f.source.kind === 'pasted' ? (f.source.line ?? 0) : 0;
}

/** `attrs` with its keys in the order `model` has them (the reader wrote both in one order), any others after. */
function inOrderOf(model: Record<string, string> | undefined, attrs: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!model || !attrs) return attrs;
  const out: Record<string, string> = {};
  for (const k in model) if (k in attrs) out[k] = attrs[k];
  for (const k in attrs) if (!(k in out)) out[k] = attrs[k];
  return out;
}
