import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRules, RuleLoadError } from '../../src/engine/loadRules.js';

const dirs: string[] = [];
function rulesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pushcheck-rules-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CAUSE = `causes:
  - id: mdm.x
    domain: mdm
    title: X
    summary: An example cause.
    source: { document: 000_1e36ff1c9c5c99cd.txt, section: S }
`;
const RULES = `rules:
  - id: mdm.x.fires
    cause: mdm.x
    outcome: confirms
    source: { document: 000_1e36ff1c9c5c99cd.txt, section: S }
    when: { fact: device.topic, op: eq, value: a }
    because: it is a
  - id: mdm.x.out
    cause: mdm.x
    outcome: rules_out
    source: { document: 000_1e36ff1c9c5c99cd.txt, section: S }
    when: { fact: device.topic, op: eq, value: b }
    because: it is b
`;

function issuesOf(dir: string) {
  try {
    loadRules(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(RuleLoadError);
    return (e as RuleLoadError).issues;
  }
  throw new Error('expected a RuleLoadError');
}

describe('loading rule files', () => {
  it('loads a valid file', () => {
    const set = loadRules(rulesDir({ 'a.yml': CAUSE + RULES }));
    expect(set.rules.map((r) => r.id)).toEqual(['mdm.x.fires', 'mdm.x.out']);
  });

  it.each([
    ['a YAML syntax error', CAUSE + RULES.replace('op: eq, value: a }', 'op: eq, value: a'), 13, /flow|indent|end/i],
    ['an unknown operator', CAUSE + RULES.replace('op: eq, value: a', 'op: equals, value: a'), 12, /op/],
    ['an unknown fact', CAUSE + RULES.replace('fact: device.topic, op: eq, value: a', 'fact: device.topik, op: eq, value: a'), 8, /unknown fact device\.topik/],
    [
      'a rule for a cause nobody defines',
      CAUSE + RULES.replace('cause: mdm.x\n    outcome: confirms', 'cause: mdm.y\n    outcome: confirms'),
      8,
      /unknown cause mdm\.y/,
    ],
    ['a missing section name', CAUSE.replace(', section: S }', ' }') + RULES, 6, /section/],
    ['a bad regular expression', CAUSE + RULES.replace('op: eq, value: a', 'op: matches, value: "(("'), 12, /regular expression/],
    ['a cause without a ruling-out rule', CAUSE + RULES.replace('outcome: rules_out', 'outcome: suggests'), 2, /no rule that rules it out/],
  ])('names the file and line for %s', (_what, text, line, message) => {
    const issues = issuesOf(rulesDir({ 'broken.yml': text }));
    expect(issues[0].file).toMatch(/broken\.yml$/);
    expect(issues[0].line).toBe(line);
    expect(issues.map((i) => i.message).join('\n')).toMatch(message);
  });

  it('reports an id defined in two files', () => {
    const issues = issuesOf(rulesDir({ 'a.yml': CAUSE + RULES, 'b.yml': CAUSE }));
    expect(issues.some((i) => /cause mdm\.x is defined twice/.test(i.message) && i.file.endsWith('b.yml'))).toBe(true);
  });

  it('loads the shipped rules without complaint', () => {
    expect(() => loadRules()).not.toThrow();
  });
});
