import { readdir, readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { focusQuestions } from '../report/render/index.js';
import { renderText, type TextOptions } from '../report/render/text.js';
import type { QuestionReport, Report } from '../report/types.js';
import type { CaseService } from '../case/index.js';

/** The bundled example case (examples/ ships in the package). */
const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/mdm-wrong-magic/', import.meta.url));

export interface TerminalIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
  color: boolean;
  /** The clock for answer times (the one place a terminal run reads it). */
  now?: () => Date;
}

function choices(q: QuestionReport): string {
  if (q.answers.length) return q.answers.map((a) => (a.value === a.label.toLowerCase() ? a.value : `${a.value} = ${a.label}`)).join(' | ');
  return q.type === 'time' ? 'a date and time, e.g. 2026-11-20 14:05 UTC; or unknown' : 'a value; or unknown';
}

function questionLine(q: QuestionReport): string {
  return `Next question (${q.id}): ${q.text}\n  answer: ${choices(q)}${q.help ? `\n  help: ${q.help}` : ''}\n`;
}

/** Loads the example case: files read from disk, the server's values as a paste. */
export async function loadExample(cases: CaseService, key: string, dir = EXAMPLE_DIR, at = new Date().toISOString()): Promise<Report> {
  await cases.open(key, { channel: 'terminal', threadTs: 'example', meta: { trigger: 'terminal' } });
  const files = (await readdir(dir)).filter((f) => f !== 'README.md').sort();
  const who = { by: 'terminal', at };
  // Provenance names the files as the person would type them (relative to where they are).
  const shown = (f: string) => relative(process.cwd(), `${dir}${f}`) || f;
  for (const f of files.filter((f) => !f.endsWith('.txt'))) await cases.addPath(key, shown(f), who);
  for (const f of files.filter((f) => f.endsWith('.txt'))) await cases.addPaste(key, await readFile(`${dir}${f}`, 'utf8'), shown(f), who);
  return (await cases.current(key)).report;
}

/**
 * The guided diagnosis at a prompt: the report, then one question at a
 * time; each answer re-runs the engine and says what changed. Without a TTY
 * it prints the report and the next question and returns.
 */
export async function runTerminal(cases: CaseService, io: TerminalIO, key = 'terminal:example'): Promise<number> {
  const write = (s: string) => io.output.write(s);
  let report = await loadExample(cases, key, EXAMPLE_DIR, (io.now ?? (() => new Date()))().toISOString());
  // Questions are asked one by one below, so the report lists them in words, not as --answer flags.
  const style: TextOptions = { color: io.color, answers: 'words', fullHint: 'pushcheck diagnose … --detail full' };
  write(renderText(report, style));
  const next = focusQuestions(report)[0];
  if (!io.interactive) {
    if (next) write(`\n${questionLine(next)}(Run "npm start" in a terminal to answer, or: pushcheck diagnose … --answer ${next.id}=VALUE)\n`);
    return 0;
  }
  const rl = createInterface({ input: io.input, terminal: false });
  // The line iterator buffers lines typed (or piped) ahead of the prompt; question() would drop them.
  const lines = rl[Symbol.asyncIterator]();
  try {
    for (;;) {
      const q = focusQuestions(report)[0];
      if (!q) {
        write('\nNo more questions.\n');
        break;
      }
      write(`\n${questionLine(q)}`);
      write('> ');
      const line = await lines.next();
      if (line.done) break; // input closed
      const raw = String(line.value).trim();
      if (['q', 'quit', 'exit'].includes(raw.toLowerCase())) break;
      const value = raw === '' ? 'unknown' : raw;
      const o = await cases.answer(key, { question: q.id, value, by: 'terminal', at: (io.now ?? (() => new Date()))().toISOString() });
      if (!o.ok) {
        write(`${o.message}\n`);
        continue;
      }
      report = o.report;
      write(o.changes.length ? `${o.changes.map((c) => `  • ${c}`).join('\n')}\n` : '  (no change to the causes)\n');
      write(`${report.headline}\n`);
    }
  } finally {
    rl.close();
  }
  write(`\n${renderText(report, style)}`);
  return 0;
}
