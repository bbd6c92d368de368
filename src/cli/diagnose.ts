import type { Readable } from 'node:stream';
import { DEFAULT_LIMITS, readPasteFile, readPasteStream, runCase, type Limits, type Paste, type Problem } from '../case/index.js';
import { renderJson, renderMarkdown, renderText } from '../report/render/index.js';
import type { Report } from '../report/types.js';
import type { DiagnoseArgs } from './args.js';

/** What a run reads besides its arguments; tests give a smaller limit or their own standard input. */
export interface RunOptions {
  stdin?: Readable;
  limits?: Partial<Limits>;
}

async function gatherPastes(args: DiagnoseArgs, opts: RunOptions = {}): Promise<{ pastes: Paste[]; problems: Problem[] }> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const pastes: Paste[] = args.pastes.map((text, i) => ({ text, label: args.pastes.length > 1 ? `--paste ${i + 1}` : '--paste' }));
  const problems: Problem[] = [];
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
  return runCase(
    {
      paths: args.paths,
      pastes,
      serverValues: { values: { topic: args.topic, magic: args.magic, token: args.token } },
      ...(args.now ? { now: { at: args.now, label: '--now' } } : {}),
      problems,
      answers: args.answers,
    },
    opts.limits ? { limits: opts.limits } : {},
  );
}

const FULL_HINT = 'run again with --detail full';

export function render(report: Report, args: Pick<DiagnoseArgs, 'format' | 'color' | 'detail'>): string {
  switch (args.format) {
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report, { detail: args.detail, fullHint: FULL_HINT });
    default:
      return renderText(report, { color: args.color, detail: args.detail, fullHint: FULL_HINT });
  }
}
