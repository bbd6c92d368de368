#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { prepareFeedback, redactText, RuleLoadError, secretsOf } from '../case/index.js';
import type { Report } from '../report/types.js';
import { renderTimelinePng } from '../timeline/index.js';
import { parseDiagnoseArgs, UsageError } from './args.js';
import { diagnoseFromArgs, render, type RunOptions } from './diagnose.js';
import { HELP } from './help.js';

export interface CliIO extends RunOptions {
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
  isTTY: boolean;
}

export async function main(argv: string[], io: CliIO = { out: process.stdout, err: process.stderr, isTTY: !!process.stdout.isTTY }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out.write(HELP);
        return command === undefined ? 2 : 0;
      case 'diagnose': {
        const args = parseDiagnoseArgs(rest, io.isTTY);
        const report = await diagnoseFromArgs(args, io);
        const text = render(report, args);
        io.out.write(args.redact ? redactText(text, secretsOf(report)) : text);
        if (args.timeline) await writeTimeline(report, args.timeline, io);
        return 0;
      }
      case 'feedback': {
        const args = parseDiagnoseArgs(rest, io.isTTY);
        const report = await diagnoseFromArgs(args, io);
        if (!report.escalation) {
          io.err.write(`${noDraftReason(report)}\n${report.headline}\nRun "pushcheck diagnose" with the same inputs to see ${report.filing?.status === 'no_failed_push' ? 'what to collect' : 'what is still open'}.\n`);
          return 0;
        }
        const pkg = await prepareFeedback(report, { redact: args.redact, timeline: Boolean(args.timeline) });
        io.out.write(pkg.draft);
        if (pkg.reason && process.env.OPENAI_API_KEY) io.err.write(`pushcheck: used the template draft: ${pkg.reason}\n`);
        if (args.timeline) await writeTimeline(report, args.timeline, io, pkg.timeline);
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}" (try: pushcheck help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`pushcheck: ${e.message}\n`);
      return 2;
    }
    if (e instanceof RuleLoadError) {
      io.err.write(`pushcheck: ${e.message}\n`);
      return 1;
    }
    io.err.write(`pushcheck: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

async function writeTimeline(report: Report, path: string, io: CliIO, png: Buffer | null = renderTimelinePng(report)): Promise<void> {
  if (!png) {
    io.err.write('pushcheck: fewer than two timed events in the evidence; no timeline written\n');
    return;
  }
  await writeFile(path, png);
  io.err.write(`pushcheck: timeline written to ${path}\n`);
}

function invokedDirectly(): boolean {
  // npm links bin/ through a symlink: compare real paths.
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

/** Why `pushcheck feedback` has nothing to print, in the words of the filing decision. */
function noDraftReason(report: Report): string {
  switch (report.filing?.status) {
    case 'no_failed_push':
      return 'No Feedback draft yet: every known cause is ruled out, but no failed push is on record (Apple needs one, with its time and APNs answer).';
    case 'push_answered':
      return 'No Feedback draft: the latest push the evidence can judge was answered, so there is nothing to file.';
    case 'not_for_apple':
      return 'No Feedback draft: this kind of problem is not one Apple takes as Feedback.';
    default:
      return 'No Feedback draft yet: not every known cause is ruled out.';
  }
}
