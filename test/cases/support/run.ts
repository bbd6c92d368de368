import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from '../../cli/helpers.js';
import { scratchDir } from '../../support/scratch.js';
import type { Case } from './cases.js';

/** The JSON report as the tests read it (schemaVersion 1). */
export interface Report {
  domains: string[];
  headline: string;
  notes: { id: string; text: string }[];
  causes: { id: string; status: string; because: string[]; nextSteps: string[] }[];
  questions: { id: string }[];
  escalation: { feedbackDraft: string; missing: string[] } | null;
  filing: { status: string; checklist: { id: string; done: boolean; todo?: string }[]; collect: string[] };
  problems: { input: string; member?: string; code: string; message: string }[];
  facts: { fact: string; value: string | number | boolean; at?: string; attrs?: Record<string, string>; source: string }[];
}

/** Writes a case's inputs into a folder of its own and returns what follows `pushcheck diagnose`. */
export function argvOf(c: Case): string[] {
  const dir = mkdtempSync(join(scratchDir('pushcheck-cases-'), `${c.id}-`));
  return c.argv((name, data) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  });
}

/** `pushcheck diagnose … --format json`, in-process, as an engineer runs it. */
export async function diagnose(argv: string[]): Promise<Report> {
  const r = await cli('diagnose', ...argv, '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Report;
}

/** The same case as text: it must render (what it says is the renderers' tests' business). */
export async function diagnoseText(argv: string[]): Promise<string> {
  const r = await cli('diagnose', ...argv);
  expect(r.code, r.err).toBe(0);
  return r.out;
}

export async function feedback(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return cli('feedback', ...argv);
}

export const statusOf = (r: Report, id: string) => r.causes.find((c) => c.id === id)?.status;
export const causeOf = (r: Report, id: string) => r.causes.find((c) => c.id === id);
export const noteOf = (r: Report, id: string) => r.notes.find((n) => n.id === id);
export const factsOf = (r: Report, name: string) => r.facts.filter((f) => f.fact === name);
export const questionIds = (r: Report) => r.questions.map((q) => q.id);
export const byId = (id: string, cases: Case[]): Case => {
  const c = cases.find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id}`);
  return c;
};
