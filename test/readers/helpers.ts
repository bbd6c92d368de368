import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { cli } from '../cli/helpers.js';

/** A sample written for these tests, in the form the evidence is shared in. */
export const sample = (name: string): string => fileURLToPath(new URL(`../fixtures/readers/${name}`, import.meta.url));

export interface Report {
  domains: string[];
  headline: string;
  notes: { id: string; text: string; evidence: { fact: string; source: string }[] }[];
  causes: {
    id: string;
    status: string;
    because: string[];
    nextSteps: string[];
    evidence: { fact: string; value: unknown; source: string }[];
    rules: { id: string; result: unknown }[];
  }[];
  questions: { id: string }[];
  facts: { fact: string; value: unknown; source: string; at?: string; attrs?: Record<string, string> }[];
  problems: { input: string; code: string; message: string }[];
  escalation: unknown;
}

/** Runs `pushcheck diagnose … --format json` in-process, as a support engineer would from a shell. */
export async function diagnoseJson(...argv: string[]): Promise<Report> {
  const r = await cli('diagnose', ...argv, '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Report;
}

/** The same, rendered as the text report people read. */
export async function diagnoseText(...argv: string[]): Promise<string> {
  const r = await cli('diagnose', ...argv);
  expect(r.code, r.err).toBe(0);
  return r.out;
}

export const cause = (r: Report, id: string) => {
  const c = r.causes.find((x) => x.id === id);
  if (!c) throw new Error(`no cause ${id} in the report (domains ${r.domains.join(', ')})`);
  return c;
};
export const statusOf = (r: Report, id: string) => r.causes.find((x) => x.id === id)?.status;
export const facts = (r: Report, name: string) => r.facts.filter((f) => f.fact === name);
export const noteIds = (r: Report) => r.notes.map((n) => n.id);
