import type { Readable } from 'node:stream';
import { DEFAULT_LIMITS, type Limits } from '../evidence/types.js';
import { serverValues } from '../evidence/paste/index.js';
import { readPasteFile, readPasteStream } from '../evidence/pasteSource.js';
import type { Fact } from '../facts/schema.js';
import { collectEvidence, diagnoseEvidence, type Paste } from '../pipeline.js';
import { renderJson, renderMarkdown, renderText } from '../report/render/index.js';
import type { Report } from '../report/types.js';
import type { DiagnoseArgs } from './args.js';

/** What a run reads besides its arguments; tests give a smaller limit or their own standard input. */
export interface RunOptions {
  stdin?: Readable;
  limits?: Partial<Limits>;
}

export async function gatherPastes(args: DiagnoseArgs, opts: RunOptions = {}): Promise<{ pastes: Paste[]; problems: { input: string; code: string; message: string }[] }> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const pastes: Paste[] = args.pastes.map((text, i) => ({ text, label: args.pastes.length > 1 ? `--paste ${i + 1}` : '--paste' }));
  const problems: { input: string; code: string; message: string }[] = [];
  for (const f of args.pasteFiles) {
    // Bounded like files: a paste is held whole, and stdin may be /dev/zero or a pipe that never ends.
    const label = f === '-' ? 'standard input' : f;
    const r = f === '-' ? await readPasteStream(opts.stdin ?? process.stdin, label, limits) : await readPasteFile(f, limits);
    if (r.text !== undefined) pastes.push({ text: r.text, label });
    if (r.problem) problems.push(r.problem);
  }
  return { pastes, problems };
}

/** Runs a diagnosis from command-line arguments; returns the report. */
export async function diagnoseFromArgs(args: DiagnoseArgs, opts: RunOptions = {}): Promise<Report> {
  const { pastes, problems } = await gatherPastes(args, opts);
  const flags = serverValues({ topic: args.topic, magic: args.magic, token: args.token });
  const extra: Fact[] = [...flags.facts];
  if (args.now) extra.push({ name: 'case.now', value: new Date(args.now).toISOString(), source: { kind: 'pasted', input: '--now' } });
  const evidence = await collectEvidence({ paths: args.paths, pastes, facts: extra }, opts.limits ? { limits: opts.limits } : {});
  evidence.problems.push(...flags.problems, ...problems);
  return diagnoseEvidence(evidence, args.answers).report;
}

export function render(report: Report, args: Pick<DiagnoseArgs, 'format' | 'color'>): string {
  switch (args.format) {
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report);
    default:
      return renderText(report, { color: args.color });
  }
}
