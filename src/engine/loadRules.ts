import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { factDefinition } from '../facts/catalog/index.js';
import { ruleSchemas, TEMPLATE_FIELD, type Condition, type ParameterName, type RuleFile } from './ruleSchema.js';
import { defaultRulesDir, RuleLoadError, type RuleLoadIssue, type RuleSet } from './ruleSet.js';

// The light half (the RuleSet type, its errors, deriveParams) lives in ruleSet.ts; callers may keep importing it from here.
export { defaultRulesDir, deriveParams, RuleLoadError, type RuleSet } from './ruleSet.js';

/** The YAML parser, loaded when a rule file is parsed: runs that use the cached rules never need it. */
let yamlLib: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  yamlLib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlLib;
}

function positionOf(doc: Document, lc: LineCounter, path: (string | number)[]): { line?: number; column?: number } {
  // Walk up the path until a node with a range exists (a missing key points at its parent).
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (yaml().isNode(node) && node.range) {
      const pos = lc.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

function parseRuleFile(text: string, file: string): { data?: RuleFile; issues: RuleLoadIssue[]; lineOf: (path: (string | number)[]) => number | undefined } {
  const { LineCounter, parseDocument } = yaml();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const issues: RuleLoadIssue[] = [];
  for (const err of doc.errors) {
    const pos = lc.linePos(err.pos[0]);
    issues.push({ file, line: pos.line, column: pos.col, message: err.message.split('\n')[0] });
  }
  const lineOf = (path: (string | number)[]) => positionOf(doc, lc, path).line;
  if (issues.length) return { issues, lineOf };
  const parsed = ruleSchemas().RuleFileSchema.safeParse(doc.toJS({ maxAliasCount: 1000 }) ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues.flatMap((i) => explainUnion(i))) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const pos = positionOf(doc, lc, path);
      issues.push({ file, ...pos, message: `${path.join('.') || '(file)'}: ${issue.message}` });
    }
    return { issues, lineOf };
  }
  return { data: parsed.data, issues, lineOf };
}

type ZIssue = { code: string; path: PropertyKey[]; message: string; errors?: ZIssue[][] };

/**
 * A condition is a union (all / any / not / leaf); zod reports a bare
 * "Invalid input" for it. Pick the branch that came closest (fewest issues)
 * so the message names the real mistake, e.g. an unknown op.
 */
function explainUnion(issue: ZIssue): ZIssue[] {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
  const best = [...issue.errors].sort((a, b) => a.length - b.length)[0];
  return best.flatMap((i) => explainUnion({ ...i, path: [...issue.path, ...i.path] }));
}

function factsOf(cond: Condition, out: string[] = []): string[] {
  if ('all' in cond) cond.all.forEach((c) => factsOf(c, out));
  else if ('any' in cond) cond.any.forEach((c) => factsOf(c, out));
  else if ('not' in cond) factsOf(cond.not, out);
  else {
    out.push(cond.fact);
    if (cond.other) out.push(cond.other);
  }
  return out;
}

function templateFacts(text: string): string[] {
  return [...text.matchAll(TEMPLATE_FIELD)].map((m) => m[1]);
}

/**
 * Loads and cross-checks every *.yml under `dir`, in file-name order so that
 * ties between questions break the same way on every machine.
 */
export function loadRules(dir: string = defaultRulesDir()): RuleSet {
  const { set, where, issues } = readRuleFiles(dir);
  issues.push(...crossReferenceIssues(set, where));
  if (issues.length) throw new RuleLoadError(issues);
  return set;
}

type Where = Map<string, { file: string; line?: number }>;

/** Every rule file of `dir`, parsed and validated, merged into one set; where each id is defined, and each id defined twice. */
function readRuleFiles(dir: string): { set: RuleSet; where: Where; issues: RuleLoadIssue[] } {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort();
  const issues: RuleLoadIssue[] = [];
  const set: RuleSet = { causes: [], rules: [], questions: [], advisories: [], parameters: {}, origin: new Map() };
  const where: Where = new Map();

  for (const f of files) {
    const file = relative(process.cwd(), join(dir, f)) || f;
    const { data, issues: fileIssues, lineOf } = parseRuleFile(readFileSync(join(dir, f), 'utf8'), file);
    issues.push(...fileIssues);
    if (!data) continue;
    const add = (kind: string, id: string, path: (string | number)[]) => {
      const prev = where.get(id);
      const line = lineOf(path);
      if (prev) issues.push({ file, line, message: `${kind} ${id} is defined twice (also in ${prev.file}${prev.line ? `:${prev.line}` : ''})` });
      where.set(id, { file, line });
      set.origin.set(id, file);
    };
    data.causes.forEach((c, i) => {
      add('cause', c.id, ['causes', i, 'id']);
      set.causes.push(c);
    });
    data.rules.forEach((r, i) => {
      add('rule', r.id, ['rules', i, 'id']);
      set.rules.push(r);
    });
    data.questions.forEach((q, i) => {
      add('question', q.id, ['questions', i, 'id']);
      set.questions.push(q);
    });
    data.advisories.forEach((a, i) => {
      add('advisory', a.id, ['advisories', i, 'id']);
      set.advisories.push(a);
    });
    for (const [name, p] of Object.entries(data.parameters ?? {}) as [ParameterName, RuleSet['parameters'][ParameterName]][]) {
      if (!p) continue;
      add('parameter', `parameters.${name}`, ['parameters', name]);
      set.parameters[name] = p;
    }
    if (data.escalation) {
      add('escalation', 'escalation', ['escalation']);
      set.escalation = data.escalation;
    }
  }
  return { set, where, issues };
}

/** A rule, question or advisory that names a fact, cause or question nobody defines is a typo, found now rather than in a report. */
function crossReferenceIssues(set: RuleSet, where: Where): RuleLoadIssue[] {
  const issues: RuleLoadIssue[] = [];
  const causeIds = new Set(set.causes.map((c) => c.id));
  const questionIds = new Set(set.questions.map((q) => q.id));
  const at = (id: string) => where.get(id) ?? { file: '(rules)' };
  for (const r of set.rules) {
    if (!causeIds.has(r.cause)) issues.push({ ...at(r.id), message: `rule ${r.id} speaks to unknown cause ${r.cause}` });
    for (const f of factsOf(r.when)) if (!factDefinition(f)) issues.push({ ...at(r.id), message: `rule ${r.id} uses unknown fact ${f}` });
    for (const text of [r.because, ...r.nextSteps])
      for (const f of templateFacts(text)) if (!factDefinition(f)) issues.push({ ...at(r.id), message: `rule ${r.id} templates unknown fact ${f}` });
    for (const q of r.questions) if (!questionIds.has(q)) issues.push({ ...at(r.id), message: `rule ${r.id} names unknown question ${q}` });
  }
  for (const q of set.questions) {
    if (!factDefinition(q.sets)) issues.push({ ...at(q.id), message: `question ${q.id} sets unknown fact ${q.sets}` });
    if (q.askWhen) for (const f of factsOf(q.askWhen)) if (!factDefinition(f)) issues.push({ ...at(q.id), message: `question ${q.id} uses unknown fact ${f}` });
  }
  for (const a of set.advisories) {
    for (const f of [...factsOf(a.when), ...templateFacts(a.text)])
      if (!factDefinition(f)) issues.push({ ...at(a.id), message: `advisory ${a.id} uses unknown fact ${f}` });
  }
  for (const q of set.questions)
    for (const f of q.settledBy ?? []) if (!factDefinition(f)) issues.push({ ...at(q.id), message: `question ${q.id} is settled by unknown fact ${f}` });
  if (set.escalation) {
    const e = set.escalation;
    const conds: Condition[] = [
      ...Object.values(e.failedPush).filter((c): c is Condition => !!c),
      ...e.checklist.flatMap((c) => [c.when, ...c.todo.flatMap((t) => (t.when ? [t.when] : []))]),
    ];
    const texts = [...e.collect, ...e.checklist.flatMap((c) => c.todo.map((t) => t.text))];
    for (const f of [...conds.flatMap((c) => factsOf(c)), ...texts.flatMap(templateFacts)])
      if (!factDefinition(f)) issues.push({ ...at('escalation'), message: `escalation uses unknown fact ${f}` });
    for (const d of e.domains) if (!e.failedPush[d]) issues.push({ ...at('escalation'), message: `escalation domain ${d} has no failedPush condition` });
  }
  for (const c of set.causes) {
    const rules = set.rules.filter((r) => r.cause === c.id);
    if (!rules.some((r) => r.outcome !== 'rules_out')) issues.push({ ...at(c.id), message: `cause ${c.id} has no rule that confirms or suggests it` });
    if (!rules.some((r) => r.outcome === 'rules_out')) issues.push({ ...at(c.id), message: `cause ${c.id} has no rule that rules it out` });
  }
  return issues;
}
