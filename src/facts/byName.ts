import type { Fact } from './schema.js';

/** Facts looked up by name: what rules and derivers read. */
export type FactIndex = ReadonlyMap<string, readonly Fact[]>;

/** Groups facts by name, each group in the order the facts came. */
export function indexFacts(facts: readonly Fact[]): Map<string, Fact[]> {
  const m = new Map<string, Fact[]>();
  for (const f of facts) {
    const list = m.get(f.name);
    if (list) list.push(f);
    else m.set(f.name, [f]);
  }
  return m;
}
