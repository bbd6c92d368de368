import type { Answer } from './engine/answers.js';
import { diagnose, type Diagnosis } from './engine/diagnose.js';
import { loadRules, type RuleSet } from './engine/loadRules.js';
import { readPaste, readPath } from './evidence/read.js';
import { DEFAULT_LIMITS, type Limits, type Progress } from './evidence/types.js';
import type { Fact, Problem } from './facts/schema.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/types.js';

export interface Paste {
  text: string;
  /** How the paste is named in provenance: "--paste 1", "stdin", a Slack permalink. */
  label: string;
}

export interface CaseInput {
  /** Files, folders, archives. */
  paths?: readonly string[];
  pastes?: readonly Paste[];
  /** Facts already gathered elsewhere (the server's values from flags, a stored session). */
  facts?: readonly Fact[];
  answers?: readonly Answer[];
}

export interface CollectOptions {
  limits?: Partial<Limits>;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface Evidence {
  facts: Fact[];
  problems: Problem[];
}

const PASTE_UNRECOGNISED =
  'holds nothing pushcheck recognises (no push topic, PushMagic, push token or log line it knows); paste values as "topic=…", "magic: …", "token …", or give a log or plist as a PATH';

/** Reads every input; one bad input becomes a problem and the rest are still used. */
export async function collectEvidence(input: CaseInput, opts: CollectOptions = {}): Promise<Evidence> {
  const ctx = { limits: { ...DEFAULT_LIMITS, ...opts.limits }, onProgress: opts.onProgress, signal: opts.signal };
  const facts: Fact[] = [...(input.facts ?? [])];
  const problems: Problem[] = [];
  // One at a time: a sysdiagnose already keeps a core busy, and memory stays bounded.
  for (const path of input.paths ?? []) {
    const r = await readPath(path, ctx);
    for (const x of r.facts) facts.push(x); // a spread of 100k+ items overflows the call stack
    for (const x of r.problems) problems.push(x);
  }
  for (const p of input.pastes ?? []) {
    const r = await readPaste(p.text, p.label, ctx);
    for (const x of r.facts) facts.push(x); // a spread of 100k+ items overflows the call stack
    for (const x of r.problems) problems.push(x);
    // Someone typed this on purpose: a paste that gave nothing must say so rather than vanish.
    if (r.facts.length === 0 && r.problems.length === 0) problems.push({ input: p.label, code: 'paste.unrecognised', message: PASTE_UNRECOGNISED });
  }
  return { facts, problems };
}

let defaultRules: RuleSet | undefined;
/** The shipped rules, loaded once (a broken rule file throws RuleLoadError here, at start-up). */
export function shippedRules(): RuleSet {
  defaultRules ??= loadRules();
  return defaultRules;
}

export function diagnoseEvidence(evidence: Evidence, answers: readonly Answer[] = [], rules: RuleSet = shippedRules()): { diagnosis: Diagnosis; report: Report } {
  const diagnosis = diagnose({ facts: evidence.facts, answers, problems: evidence.problems }, rules);
  return { diagnosis, report: buildReport(diagnosis) };
}

/** Evidence in, report out: what the CLI and the library's users call. */
export async function runCase(input: CaseInput, opts: CollectOptions & { rules?: RuleSet } = {}): Promise<Report> {
  const evidence = await collectEvidence(input, opts);
  return diagnoseEvidence(evidence, input.answers ?? [], opts.rules).report;
}
