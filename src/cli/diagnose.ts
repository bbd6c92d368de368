import { readFile, stat } from 'node:fs/promises';
import { DEFAULT_LIMITS, runCase, type Paste, type Problem } from '../case/index.js';
import { renderJson, renderMarkdown, renderText } from '../report/render/index.js';
import type { Report } from '../report/types.js';
import type { DiagnoseArgs } from './args.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function gatherPastes(args: DiagnoseArgs): Promise<{ pastes: Paste[]; problems: Problem[] }> {
  const pastes: Paste[] = args.pastes.map((text, i) => ({ text, label: args.pastes.length > 1 ? `--paste ${i + 1}` : '--paste' }));
  const problems: Problem[] = [];
  for (const f of args.pasteFiles) {
    if (f === '-') {
      pastes.push({ text: await readStdin(), label: 'standard input' });
      continue;
    }
    try {
      // A paste is held whole: keep it to the size of one structured member.
      const { size } = await stat(f);
      if (size > DEFAULT_LIMITS.maxMemberBytes) {
        problems.push({ input: f, code: 'input.too_large', message: `is ${size} bytes, over the ${DEFAULT_LIMITS.maxMemberBytes}-byte limit for pasted text; pass it as a path instead (pushcheck diagnose ${f})` });
        continue;
      }
      pastes.push({ text: await readFile(f, 'utf8'), label: f });
    } catch (e) {
      problems.push({ input: f, code: 'input.unreadable', message: `could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    }
  }
  return { pastes, problems };
}

/** Runs a diagnosis from command-line arguments; returns the report. */
export async function diagnoseFromArgs(args: DiagnoseArgs): Promise<Report> {
  const { pastes, problems } = await gatherPastes(args);
  return runCase({
    paths: args.paths,
    pastes,
    serverValues: { values: { topic: args.topic, magic: args.magic, token: args.token } },
    ...(args.now ? { now: { at: args.now, label: '--now' } } : {}),
    problems,
    answers: args.answers,
  });
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
