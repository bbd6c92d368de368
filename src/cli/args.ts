import { parseArgs } from 'node:util';
import type { Answer } from '../case/index.js';

/** A mistake in how pushcheck was called: exit code 2 and this message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const FORMATS = ['text', 'markdown', 'json'] as const;
export type Format = (typeof FORMATS)[number];
export const DETAILS = ['summary', 'full'] as const;
export type Detail = (typeof DETAILS)[number];

export interface DiagnoseArgs {
  paths: string[];
  pastes: string[];
  pasteFiles: string[];
  topic?: string;
  magic?: string;
  token?: string;
  answers: Answer[];
  format: Format;
  /** summary: the 30-second view; full: every cause and observation (text and Markdown; JSON always has everything). */
  detail: Detail;
  timeline?: string;
  redact: boolean;
  now?: string;
  color: boolean;
}

const parseDiagnose = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      paste: { type: 'string', multiple: true },
      'paste-file': { type: 'string', multiple: true },
      topic: { type: 'string' },
      magic: { type: 'string' },
      token: { type: 'string' },
      answer: { type: 'string', multiple: true, short: 'a' },
      format: { type: 'string', short: 'f', default: 'text' },
      detail: { type: 'string', short: 'd', default: 'summary' },
      timeline: { type: 'string' },
      redact: { type: 'boolean', default: false },
      now: { type: 'string' },
      'no-color': { type: 'boolean', default: false },
    },
  });

export function parseDiagnoseArgs(argv: string[], isTTY: boolean): DiagnoseArgs {
  let parsed: ReturnType<typeof parseDiagnose>;
  try {
    parsed = parseDiagnose(argv);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const format = v.format as string;
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format takes ${FORMATS.join(', ')}, not "${format}"`);
  const detail = v.detail as string;
  if (!(DETAILS as readonly string[]).includes(detail)) throw new UsageError(`--detail takes ${DETAILS.join(' or ')}, not "${detail}"`);
  const answers: Answer[] = (v.answer ?? []).map((a) => {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError(`--answer takes QUESTION_ID=VALUE, e.g. --answer q.mdm.wiped=no (got "${a}")`);
    return { question: a.slice(0, eq).trim(), value: a.slice(eq + 1), by: 'cli' };
  });
  // "--paste -" reads standard input, like --paste-file -.
  const pastes = (v.paste ?? []).filter((p) => p !== '-');
  const pasteFiles = [...(v['paste-file'] ?? []), ...(v.paste ?? []).filter((p) => p === '-')];
  if (pasteFiles.filter((f) => f === '-').length > 1) throw new UsageError('standard input can be read only once (--paste - / --paste-file -)');
  if (v.now !== undefined && Number.isNaN(Date.parse(v.now))) throw new UsageError(`--now takes an ISO 8601 time, not "${v.now}"`);
  return {
    paths: parsed.positionals,
    pastes,
    pasteFiles,
    topic: v.topic,
    magic: v.magic,
    token: v.token,
    answers,
    format: format as Format,
    detail: detail as Detail,
    timeline: v.timeline,
    redact: v.redact ?? false,
    now: v.now,
    color: isTTY && !v['no-color'] && !process.env.NO_COLOR,
  };
}
