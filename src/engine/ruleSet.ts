import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeriveParams } from '../facts/derive/types.js';
import type { Advisory, Cause, Escalation, Parameter, ParameterName, Question, Rule } from './ruleSchema.js';

/*
 * The validated rules as the engine uses them, and the errors of a broken
 * rules directory. Light on purpose: a run that reads the cached, validated
 * rules (engine/rulesCache.ts) loads neither the YAML parser nor zod.
 */

export interface RuleSet {
  causes: Cause[];
  rules: Rule[];
  questions: Question[];
  advisories: Advisory[];
  /** Numbers the derivations use; one that no file defines leaves its derivation out. */
  parameters: Partial<Record<ParameterName, Parameter>>;
  /** When a case goes to Apple; without it no case does. */
  escalation?: Escalation;
  /** Which file each cause, rule and question came from, for messages. */
  origin: Map<string, string>;
}

export interface RuleLoadIssue {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** A broken rules directory: every issue found, each with its file and line. */
export class RuleLoadError extends Error {
  constructor(readonly issues: RuleLoadIssue[]) {
    super(
      'The rules could not be loaded:\n' +
        issues.map((i) => `  ${i.file}${i.line ? `:${i.line}${i.column ? `:${i.column}` : ''}` : ''}: ${i.message}`).join('\n'),
    );
    this.name = 'RuleLoadError';
  }
}

/** The rules/ directory that ships with the package (works from src/ and dist/). */
export function defaultRulesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', 'rules');
}

/** The numbers the derivations take from rules/ (`parameters:`); one no file defines stays unset. */
export function deriveParams(set: RuleSet): DeriveParams {
  return {
    pushAnswerWindowSeconds: set.parameters.push_answer_window_seconds?.value,
    magicRecheckHours: set.parameters.magic_recheck_hours?.value,
    enrollmentRaceSeconds: set.parameters.enrollment_race_seconds?.value,
  };
}
