import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { cli } from '../cli/helpers.js';

/** A folder for the files of one test file, removed when it ends. */
export function workdir(prefix: string): (name: string, content: string | Buffer) => string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
}

export interface JsonReport {
  domains: string[];
  headline: string;
  notes: { id: string; text: string }[];
  causes: { id: string; status: string; because: string[]; nextSteps: string[]; domain: string }[];
  questions: { id: string }[];
  problems: { input: string; code: string; message: string }[];
  facts: { fact: string; value: string | number | boolean; attrs?: Record<string, string>; at?: string; source: string }[];
}

/** Runs `pushcheck diagnose … --format json` in-process and parses the report. */
export async function diagnoseJson(...args: string[]): Promise<JsonReport> {
  const { code, out, err } = await cli('diagnose', ...args, '--format', 'json');
  if (code !== 0) throw new Error(`pushcheck exited ${code}: ${err}`);
  return JSON.parse(out) as JsonReport;
}

export const statusOf = (r: JsonReport, id: string) => r.causes.find((c) => c.id === id)?.status;
export const factsNamed = (r: JsonReport, name: string) => r.facts.filter((f) => f.fact === name);

/** An MDM check-in as MDM servers store it (the device's PUT to the CheckInURL). */
export function checkin(fields: Record<string, string>, data: Record<string, Buffer> = {}): string {
  const body = [
    ...Object.entries(fields).map(([k, v]) => `\t<key>${k}</key>\n\t<string>${v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</string>`),
    ...Object.entries(data).map(([k, v]) => `\t<key>${k}</key>\n\t<data>\n\t${v.toString('base64')}\n\t</data>`),
  ].join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n${body}\n</dict>\n</plist>\n`;
}
