import type { Fact, Problem } from '../../facts/schema.js';
import { unusableValueFact } from '../../facts/valueShape.js';
import { checkValue, type ValueKind } from './values.js';

export interface ServerValueFlags {
  topic?: string;
  magic?: string;
  token?: string;
}

const FLAGS: { key: keyof ServerValueFlags; kind: ValueKind; fact: string }[] = [
  { key: 'topic', kind: 'topic', fact: 'server.topic' },
  { key: 'magic', kind: 'magic', fact: 'server.push_magic' },
  { key: 'token', kind: 'token', fact: 'server.push_token' },
];

/**
 * The server's values given on the command line (--topic, --magic, --token)
 * or by the Slack bot's form. `label` names where they came from in
 * provenance; by default the flag itself ("--topic"). A masked or garbled
 * value is kept as such, named, and never compared.
 */
export function serverValues(values: ServerValueFlags, label?: string): { facts: Fact[]; problems: Problem[] } {
  const facts: Fact[] = [];
  const problems: Problem[] = [];
  for (const f of FLAGS) {
    const raw = values[f.key];
    if (raw === undefined) continue;
    const input = label ? `${label} (${f.key})` : `--${f.key}`;
    const c = checkValue(f.kind, raw);
    if (c.ok) {
      facts.push({ name: f.fact, value: c.value, source: { kind: 'pasted', input } });
      continue;
    }
    if (c.state !== 'invalid') facts.push(unusableValueFact(f.fact, f.kind, raw, { state: c.state, why: c.why }, { kind: 'pasted', input }));
    problems.push({ input, code: `flag.invalid_${f.key}`, message: `${input}: the value ${c.why}` });
  }
  return { facts, problems };
}
