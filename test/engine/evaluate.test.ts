import { describe, expect, it } from 'vitest';
import { evaluate, type Truth } from '../../src/engine/evaluate.js';
import { indexFacts } from '../../src/facts/byName.js';
import type { Condition } from '../../src/engine/ruleSchema.js';
import type { Fact } from '../../src/facts/schema.js';

const f = (name: string, value: Fact['value'], attrs?: Record<string, string>): Fact => ({
  name,
  value,
  source: { kind: 'pasted', input: 't' },
  ...(attrs ? { attrs } : {}),
});
const facts = indexFacts([
  f('server.topic', 'com.apple.mgmt.External.a'),
  f('device.topic', 'com.apple.mgmt.External.a'),
  f('device.push_token_hash', 'ABCDEF0123456789ABCDEF0123456789'),
  f('server.push_token_sha256', 'abcdef0123456789abcdef0123456789'),
  f('mdm.command.status', 'NotNow', { channel: 'user' }),
  f('mdm.command.status', 'Acknowledged', { channel: 'device' }),
  f('server.first_push_delay_seconds', 0.4),
]);

const cases: [string, Condition, Truth][] = [
  ['a missing fact is unknown, not false', { fact: 'server.push_magic', op: 'eq', value: 'x' }, 'unknown'],
  ['exists is two-valued', { fact: 'server.push_magic', op: 'exists' }, false],
  ['sameAs compares hex without regard to case', { fact: 'server.push_token_sha256', op: 'sameAs', other: 'device.push_token_hash' }, true],
  ['differsFrom is unknown when one side is missing', { fact: 'server.topic', op: 'differsFrom', other: 'device.push_magic' }, 'unknown'],
  ['eq is true when any observation matches', { fact: 'mdm.command.status', op: 'eq', value: 'NotNow' }, true],
  ['ne is true only when no observation matches', { fact: 'mdm.command.status', op: 'ne', value: 'NotNow' }, false],
  ['attrs narrow the observations', { fact: 'mdm.command.status', op: 'eq', value: 'NotNow', attrs: { channel: 'device' } }, false],
  ['numbers compare as numbers', { fact: 'server.first_push_delay_seconds', op: 'lt', value: 5 }, true],
  [
    'all: false beats unknown',
    {
      all: [
        { fact: 'server.push_magic', op: 'eq', value: 'x' },
        { fact: 'server.topic', op: 'eq', value: 'nope' },
      ],
    },
    false,
  ],
  [
    'all: unknown beats true',
    {
      all: [
        { fact: 'server.push_magic', op: 'eq', value: 'x' },
        { fact: 'server.topic', op: 'startsWith', value: 'com.apple.mgmt.' },
      ],
    },
    'unknown',
  ],
  [
    'any: true beats unknown',
    {
      any: [
        { fact: 'server.push_magic', op: 'eq', value: 'x' },
        { fact: 'server.topic', op: 'startsWith', value: 'com.apple.mgmt.' },
      ],
    },
    true,
  ],
  ['not of unknown stays unknown', { not: { fact: 'server.push_magic', op: 'eq', value: 'x' } }, 'unknown'],
  ['in takes a list', { fact: 'mdm.command.status', op: 'in', value: ['Idle', 'Acknowledged'] }, true],
  ['someNotIn: one observation outside the list is enough', { fact: 'mdm.command.status', op: 'someNotIn', value: ['Acknowledged'] }, true],
  ['someNotIn is false when every observation is in the list', { fact: 'mdm.command.status', op: 'someNotIn', value: ['Acknowledged', 'NotNow'] }, false],
  ['allIn needs every observation in the list', { fact: 'mdm.command.status', op: 'allIn', value: ['Acknowledged'] }, false],
  ['allIn holds when every observation is in the list', { fact: 'mdm.command.status', op: 'allIn', value: ['Acknowledged', 'NotNow'] }, true],
  ['allIn is unknown without observations', { fact: 'server.push_magic', op: 'allIn', value: ['x'] }, 'unknown'],
  ['matches takes a regular expression', { fact: 'server.topic', op: 'matches', value: '^com\\.apple\\.mgmt\\.External\\.' }, true],
];

describe('three-valued evaluation', () => {
  it.each(cases)('%s', (_name, cond, expected) => {
    expect(evaluate(cond, facts).result).toBe(expected);
  });

  it('names the missing facts of an unknown condition', () => {
    const t = evaluate(
      {
        all: [
          { fact: 'server.push_magic', op: 'sameAs', other: 'device.push_magic' },
          { fact: 'server.topic', op: 'exists' },
        ],
      },
      facts,
    );
    expect(t.missing).toEqual(['server.push_magic']);
  });
});
