import type { FactIndex } from '../facts/byName.js';
import { factDefinition } from '../facts/catalog/index.js';
import type { Fact, FactValue } from '../facts/schema.js';
import type { Condition, Leaf } from './ruleSchema.js';

/** Three-valued truth: a missing fact makes a condition unknown, not false. */
export type Truth = true | false | 'unknown';

export interface Trace {
  result: Truth;
  /** How the node reads, e.g. "server.topic differs from device.topic". */
  says: string;
  /** Observations that decided a leaf. */
  facts?: Fact[];
  /** Facts whose absence left the node unknown. */
  missing?: string[];
  children?: Trace[];
  kind?: 'all' | 'any' | 'not' | 'leaf';
}

const HEXISH = /^[0-9a-fA-F]+$/;
function norm(v: FactValue): FactValue {
  // Hex strings are compared without regard to case: people paste both.
  return typeof v === 'string' && HEXISH.test(v) && v.length >= 16 ? v.toLowerCase() : v;
}

function cmp(a: FactValue, b: FactValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    // ISO times and plain strings order the same way lexicographically.
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return Number(a) - Number(b);
}

function test(op: Leaf['op'], actual: FactValue, expected: Leaf['value']): boolean {
  const e = expected as FactValue;
  switch (op) {
    case 'eq':
    case 'ne':
      return norm(actual) === norm(e);
    case 'in':
    case 'notIn':
    case 'allIn':
      return (expected as FactValue[]).some((x) => norm(x) === norm(actual));
    case 'someNotIn':
      return !(expected as FactValue[]).some((x) => norm(x) === norm(actual));
    case 'gt':
      return cmp(actual, e) > 0;
    case 'gte':
      return cmp(actual, e) >= 0;
    case 'lt':
      return cmp(actual, e) < 0;
    case 'lte':
      return cmp(actual, e) <= 0;
    case 'matches':
      return new RegExp(String(e)).test(String(actual));
    case 'startsWith':
    case 'notStartsWith':
      return String(actual).startsWith(String(e));
    case 'contains':
      return String(actual).toLowerCase().includes(String(e).toLowerCase());
    default:
      return false;
  }
}

/** Ops that are the negation of an existential test: true only when no observation passes. */
const NEGATED = new Set<Leaf['op']>(['ne', 'notIn', 'notStartsWith']);

const OP_WORDS: Record<Leaf['op'], string> = {
  exists: 'is observed',
  eq: 'is',
  ne: 'is not',
  in: 'is one of',
  notIn: 'is none of',
  someNotIn: 'is at least once none of',
  allIn: 'is always one of',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  matches: 'matches',
  startsWith: 'starts with',
  notStartsWith: 'does not start with',
  contains: 'contains',
  sameAs: 'is the same as',
  differsFrom: 'differs from',
};

function describeLeaf(leaf: Leaf): string {
  if (leaf.says) return leaf.says;
  const rhs = leaf.other ?? (leaf.value === undefined ? '' : Array.isArray(leaf.value) ? leaf.value.join(', ') : String(leaf.value));
  return `${leaf.fact} ${OP_WORDS[leaf.op]}${rhs ? ` ${rhs}` : ''}`;
}

function observations(index: FactIndex, name: string, attrs?: Record<string, string>): readonly Fact[] {
  const all = index.get(name) ?? [];
  if (!attrs) return all;
  return all.filter((f) => Object.entries(attrs).every(([k, v]) => f.attrs?.[k] === v));
}

/**
 * A person said one side holds a value the other side does not have (an answer naming another PushMagic
 * than the one pasted or read): with one value matching and theirs not, which holds is not settled yet.
 * A value worked out from what a person said (the hash of a pasted token) counts as said. Files alone
 * that disagree (old and new check-ins saved without a time) still match on any value.
 */
function toldOtherwise(index: FactIndex, a: readonly Fact[], bValues: ReadonlySet<FactValue>, b: readonly Fact[], aValues: ReadonlySet<FactValue>): boolean {
  const person = (f: Fact) => f.source.kind === 'answer' || f.source.kind === 'pasted';
  // Only a value that has one right answer (the server's PushMagic), not a list (the environments a key allows).
  const told = (f: Fact) =>
    !factDefinition(f.name)?.multi && (person(f) || (f.source.kind === 'derived' && f.source.from.some((n) => (index.get(n) ?? []).some(person))));
  return a.some((f) => !bValues.has(norm(f.value)) && told(f)) || b.some((f) => !aValues.has(norm(f.value)) && told(f));
}

function evalLeaf(leaf: Leaf, index: FactIndex): Trace {
  const says = describeLeaf(leaf);
  const obs = observations(index, leaf.fact, leaf.attrs);
  if (leaf.op === 'exists') return { result: obs.length > 0, says, facts: [...obs] };
  if (obs.length === 0) return { result: 'unknown', says, missing: [leaf.fact] };

  if (leaf.op === 'sameAs' || leaf.op === 'differsFrom') {
    const other = observations(index, leaf.other!);
    if (other.length === 0) return { result: 'unknown', says, missing: [leaf.other!] };
    const right = new Set(other.map((f) => norm(f.value)));
    const left = new Set(obs.map((f) => norm(f.value)));
    const shared = [...left].some((v) => right.has(v));
    if (shared && toldOtherwise(index, obs, right, other, left)) return { result: 'unknown', says, facts: [...obs, ...other], missing: [] };
    return { result: leaf.op === 'sameAs' ? shared : !shared, says, facts: [...obs, ...other] };
  }

  const passing = obs.filter((f) => test(leaf.op, f.value, leaf.value));
  if (NEGATED.has(leaf.op)) return { result: passing.length === 0, says, facts: [...obs] };
  if (leaf.op === 'allIn') return { result: passing.length === obs.length, says, facts: [...obs] };
  return { result: passing.length > 0, says, facts: passing.length ? passing : [...obs] };
}

/**
 * Kleene logic: `all` is false if any child is false, unknown if any is
 * unknown, else true; `any` the dual. The tree of traces is the explanation.
 */
export function evaluate(cond: Condition, index: FactIndex): Trace {
  if ('all' in cond) {
    const children = cond.all.map((c) => evaluate(c, index));
    const result: Truth = children.some((c) => c.result === false) ? false : children.some((c) => c.result === 'unknown') ? 'unknown' : true;
    return { kind: 'all', result, says: cond.says ?? 'all of', children, missing: result === 'unknown' ? collectMissing(children) : undefined };
  }
  if ('any' in cond) {
    const children = cond.any.map((c) => evaluate(c, index));
    const result: Truth = children.some((c) => c.result === true) ? true : children.some((c) => c.result === 'unknown') ? 'unknown' : false;
    return { kind: 'any', result, says: cond.says ?? 'any of', children, missing: result === 'unknown' ? collectMissing(children) : undefined };
  }
  if ('not' in cond) {
    const child = evaluate(cond.not, index);
    const result: Truth = child.result === 'unknown' ? 'unknown' : !child.result;
    return { kind: 'not', result, says: cond.says ?? 'not', children: [child], missing: child.missing };
  }
  return evalLeaf(cond, index);
}

function collectMissing(children: Trace[]): string[] {
  const out = new Set<string>();
  for (const c of children) if (c.result === 'unknown') for (const m of c.missing ?? []) out.add(m);
  return [...out].sort();
}

/** The observations behind a decided node: what a report cites as evidence. */
export function decidingFacts(trace: Trace): Fact[] {
  if (!trace.children) return trace.facts ?? [];
  // In a true `any` only the true branches count; elsewhere every child took part.
  const kids = trace.result === true && isAny(trace) ? trace.children.filter((c) => c.result === true) : trace.children;
  return kids.flatMap(decidingFacts);
}

function isAny(trace: Trace): boolean {
  return trace.kind === 'any';
}
