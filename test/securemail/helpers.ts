import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Answer } from '../../src/engine/answers.js';
import { diagnose, type Diagnosis } from '../../src/engine/diagnose.js';
import { readPath } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS, type ReadResult } from '../../src/evidence/types.js';
import type { Fact } from '../../src/facts/schema.js';
import { shipped } from '../support/rules.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/securemail/', import.meta.url));
export const ctx = { limits: DEFAULT_LIMITS };

export { shipped };

/** Reads fixture files (paths under test/fixtures/securemail) through the same entry point the CLI uses. */
export async function readFixtures(...paths: string[]): Promise<ReadResult> {
  const facts: Fact[] = [];
  const problems: ReadResult['problems'] = [];
  for (const p of paths) {
    const full = join(FIXTURES, p);
    const files = p.includes('.')
      ? [full]
      : readdirSync(full)
          .sort()
          .map((f) => join(full, f));
    for (const f of files) {
      const r = await readPath(f, ctx);
      facts.push(...r.facts);
      problems.push(...r.problems);
    }
  }
  return { facts, problems };
}

export function named(facts: readonly Fact[], name: string): Fact[] {
  return facts.filter((f) => f.name === name);
}

export function run(read: ReadResult, answers: Answer[] = []): Diagnosis {
  return diagnose({ facts: read.facts, problems: read.problems, answers }, shipped());
}

export function statusOf(d: Diagnosis, cause: string): string | undefined {
  return d.causes.find((c) => c.cause.id === cause)?.status;
}

/** Whether a rule's condition held in this diagnosis. */
export function held(d: Diagnosis, rule: string): boolean {
  for (const c of d.causes) for (const r of c.rules) if (r.rule.id === rule) return r.trace.result === true;
  throw new Error(`rule ${rule} was not evaluated (is its domain relevant?)`);
}
