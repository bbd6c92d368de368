import { diagnose, type Diagnosis } from '../../src/engine/diagnose.js';
import type { Answer } from '../../src/engine/answers.js';
import type { Fact, FactValue } from '../../src/facts/schema.js';
import { shipped } from '../support/rules.js';

/** A fact read off a sysdiagnose member. */
export function device(name: string, value: FactValue, extra: Partial<Fact> = {}): Fact {
  return { name, value, source: { kind: 'file', input: 'sysdiagnose.tar.gz', member: 'logs/MCState/Shared/MDM.plist' }, ...extra };
}

/** A value the support engineer pasted as the server's. */
export function server(name: string, value: FactValue, extra: Partial<Fact> = {}): Fact {
  return { name, value, source: { kind: 'pasted', input: '--flag' }, ...extra };
}

export function run(facts: Fact[], answers: Answer[] = []): Diagnosis {
  return diagnose({ facts, answers }, shipped());
}

export function statusOf(d: Diagnosis, cause: string): string | undefined {
  return d.causes.find((c) => c.cause.id === cause)?.status;
}

/** Which rules held (their condition evaluated true). */
export function heldRules(d: Diagnosis, cause: string): string[] {
  return d.causes.find((c) => c.cause.id === cause)?.decided.map((r) => r.rule.id) ?? [];
}
