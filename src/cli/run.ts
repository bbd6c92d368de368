import { writeFile } from 'node:fs/promises';
import { prepareFeedback, redactText, secretsOf, tracePhase } from '../case/index.js';
import { renderJsonPieces } from '../report/render/index.js';
import type { Report } from '../report/types.js';
import { renderTimelinePng } from '../timeline/index.js';
import { parseDiagnoseArgs } from './args.js';
import { diagnoseFromArgs, render } from './diagnose.js';
import type { CliIO } from './main.js';
import { writePieces } from './write.js';

/*
 * The commands that read evidence. main.ts loads this module only for them,
 * so `pushcheck help` never loads the readers, the engine or the renderers.
 */

export async function diagnoseCommand(rest: string[], io: CliIO): Promise<number> {
  const args = parseDiagnoseArgs(rest, io.isTTY);
  const report = await diagnoseFromArgs(args, io);
  // The JSON of a push-heavy bundle runs to megabytes: written as it is rendered, unless it is redacted as a whole.
  if (args.format === 'json' && !args.redact) await writePieces(io.out, renderJsonPieces(report));
  else {
    const text = render(report, args);
    io.out.write(args.redact ? redactText(text, secretsOf(report)) : text);
  }
  tracePhase('written');
  if (args.timeline) await writeTimeline(report, args.timeline, io);
  return 0;
}

export async function feedbackCommand(rest: string[], io: CliIO): Promise<number> {
  const args = parseDiagnoseArgs(rest, io.isTTY);
  const report = await diagnoseFromArgs(args, io);
  if (!report.escalation) {
    io.err.write(
      `${noDraftReason(report)}\n${report.headline}\nRun "pushcheck diagnose" with the same inputs to see ${report.filing?.status === 'no_failed_push' ? 'what to collect' : 'what is still open'}.\n`,
    );
    return 0;
  }
  const pkg = await prepareFeedback(report, { redact: args.redact, timeline: Boolean(args.timeline) });
  io.out.write(pkg.draft);
  if (pkg.reason && process.env.OPENAI_API_KEY) io.err.write(`pushcheck: used the template draft: ${pkg.reason}\n`);
  if (args.timeline) await writeTimeline(report, args.timeline, io, pkg.timeline);
  return 0;
}

async function writeTimeline(report: Report, path: string, io: CliIO, png: Buffer | null = renderTimelinePng(report)): Promise<void> {
  if (!png) {
    io.err.write('pushcheck: fewer than two timed events in the evidence; no timeline written\n');
    return;
  }
  await writeFile(path, png);
  io.err.write(`pushcheck: timeline written to ${path}\n`);
}

/** Why `pushcheck feedback` has nothing to print, in the words of the filing decision. */
function noDraftReason(report: Report): string {
  switch (report.filing?.status) {
    case 'no_failed_push':
      return 'No Feedback draft yet: every known cause is ruled out, but no failed push is on record (Apple needs one, with its time and APNs answer).';
    case 'push_answered':
      return 'No Feedback draft: the latest push the evidence can judge was answered, so there is nothing to file.';
    case 'token_renewed':
      return "No Feedback draft yet: APNs answered 410 only before the device's latest TokenUpdate; push again to the token it brought, and file only if that push fails too.";
    case 'push_transient':
      return 'No Feedback draft yet: APNs answered the failed push with its own passing error (500, 503); send it again, and file only if every push fails this way for hours.';
    case 'push_refused':
      return 'No Feedback draft: APNs refused the failed push; its answer names what to fix, and a refused push is not one Apple looks into.';
    case 'not_for_apple':
      return 'No Feedback draft: this kind of problem is not one Apple takes as Feedback.';
    case 'values_conflict':
      return "No Feedback draft yet: an answer and the evidence disagree on what APNs answered the failed push; settle which one holds (the report's conflicts list both).";
    default:
      return 'No Feedback draft yet: not every known cause is ruled out.';
  }
}
