import type { Fact, Source } from './schema.js';

/** One line naming where a fact came from, e.g. "bundle.tar.gz › logs/MCState/Shared/MDM.plist:12". */
export function describeSource(s: Source): string {
  switch (s.kind) {
    case 'file':
      return `${s.input}${s.member ? ` › ${s.member}` : ''}${s.line ? `:${s.line}` : ''}`;
    case 'pasted':
      return `${s.input}${s.line ? ` (line ${s.line})` : ''}`;
    case 'answer':
      return `answer to ${s.question}${s.by ? ` by ${s.by}` : ''}${s.at ? ` at ${s.at}` : ''}`;
    case 'derived':
      return `${s.how}`;
  }
}

function attrsKey(a?: Record<string, string>): string {
  if (!a) return '';
  return Object.keys(a)
    .sort()
    .map((k) => `${k}=${a[k]}`)
    .join('&');
}

/** A total order on facts, so reports do not depend on the order inputs were read in. */
/** Sources in natural order: line 2 before line 10. */
function sourceKey(s: Source): string {
  const line = 'line' in s && s.line ? String(s.line).padStart(10, '0') : '';
  return `${describeSource({ ...s, line: undefined } as Source)}\u0000${line}`;
}

export function factKey(f: Fact): string {
  return [f.name, f.at ?? '', typeof f.value, String(f.value), sourceKey(f.source), attrsKey(f.attrs)].join('\u0000');
}

export function sortFacts(facts: readonly Fact[]): Fact[] {
  const keyed = facts.map((f) => [factKey(f), f] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // Identical observations (the same file read twice) collapse into one.
  const out: Fact[] = [];
  let last = '';
  for (const [k, f] of keyed) {
    if (k !== last) out.push(f);
    last = k;
  }
  return out;
}
