import { normalizeHex, normalizeToken, toIsoTime } from '../facts/normalize.js';
import type { Fact, FactValue, Problem } from '../facts/schema.js';
import { canonicalZone } from '../facts/time.js';
import type { Question } from './ruleSchema.js';

export interface Answer {
  question: string;
  /** As typed or clicked: "yes", an option value, a token, a time. "unknown" means the person cannot tell. */
  value: string;
  by?: string;
  at?: string;
}

const UNKNOWN_ANSWERS = new Set(['unknown', "don't know", 'dont_know', 'skip', '?']);

export type AnswerCheck = { ok: true; value: FactValue | null } | { ok: false; message: string };

/** Turns what a person typed into the fact value a question sets, or says why it cannot. */
export function interpretAnswer(q: Question, raw: string): AnswerCheck {
  const text = raw.trim();
  if (UNKNOWN_ANSWERS.has(text.toLowerCase())) return { ok: true, value: null };
  switch (q.type) {
    case 'yesno': {
      const t = text.toLowerCase();
      const yes = ['yes', 'y', 'true'].includes(t);
      const no = ['no', 'n', 'false'].includes(t);
      if (!yes && !no) return { ok: false, message: `${q.id} takes yes or no, not "${text}"` };
      const key = yes ? 'yes' : 'no';
      return { ok: true, value: q.map?.[key] ?? yes };
    }
    case 'choice': {
      const opt = q.options?.find((o) => o.value === text || o.label.toLowerCase() === text.toLowerCase());
      if (!opt) return { ok: false, message: `${q.id} takes one of ${q.options?.map((o) => o.value).join(', ')}, not "${text}"` };
      return { ok: true, value: q.map?.[opt.value] ?? opt.value };
    }
    case 'time': {
      const iso = toIsoTime(text);
      return iso ? { ok: true, value: iso } : { ok: false, message: `${q.id} takes a date and time such as 2026-11-20 14:05 UTC, not "${text}"` };
    }
    case 'value': {
      let v: string | null = text;
      if (q.normalize === 'hex') v = normalizeHex(text);
      if (q.normalize === 'token') v = normalizeToken(text);
      if (q.normalize === 'zone') v = canonicalZone(text);
      // A device named by its push token, in whichever form it was copied (NSData's <…>, base64), is that token in hex.
      if (q.normalize === 'device') v = normalizeToken(text) ?? deviceName(text);
      if (v === null || (q.pattern && !new RegExp(q.pattern).test(v)))
        return { ok: false, message: `${q.id}: "${text.length > 80 ? `${text.slice(0, 80)}…` : text}" is not in the expected form` };
      return { ok: true, value: v };
    }
  }
}

/**
 * A device as people name it from a server's console: Jamf Pro's "computer id 42" / "mobile device ID: 7" is the
 * id its log gives (computer-42, mobile-device-7); "device id 412" is the bare id.
 */
function deviceName(text: string): string {
  const t = text.trim();
  const jamf = /^(mobile[\s_-]*device|computer)[\s_-]*(?:id)?\s*[:#=]?\s*(\d{1,9})$/i.exec(t);
  if (jamf) return `${/^computer/i.test(jamf[1]) ? 'computer' : 'mobile-device'}-${jamf[2]}`;
  const bare = /^(?:device[\s_-]*)?id\s*[:#=]?\s*(\S+)$/i.exec(t);
  return bare ? bare[1] : t;
}

/** The offset a time was typed with ("2026-11-30T09:00+02:00" → "+02:00"); none for UTC or no offset. */
function typedOffset(raw: string): string | undefined {
  const m = /[T\d\s]([+-]\d{2}:?\d{2})\s*$/.exec(raw.trim());
  const zone = m ? canonicalZone(m[1]) : null;
  return zone && zone !== 'UTC' ? zone : undefined;
}

export interface AppliedAnswers {
  facts: Fact[];
  /** Questions somebody answered (including "unknown"): not asked again. */
  answered: Set<string>;
  problems: Problem[];
  /** Questions answered more than once: the later answer stands. */
  superseded: { question: string; earlier: Answer; later: Answer }[];
}

export function applyAnswers(answers: readonly Answer[], questions: readonly Question[]): AppliedAnswers {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const latest = new Map<string, Answer>();
  const superseded: AppliedAnswers['superseded'] = [];
  const problems: Problem[] = [];
  for (const a of answers) {
    const q = byId.get(a.question);
    if (!q) {
      problems.push({ input: `answer ${a.question}`, code: 'answer.unknown_question', message: `There is no question ${a.question}.` });
      continue;
    }
    const check = interpretAnswer(q, a.value);
    if (!check.ok) {
      problems.push({ input: `answer ${a.question}`, code: 'answer.invalid', message: check.message });
      continue;
    }
    const prev = latest.get(a.question);
    if (prev) superseded.push({ question: a.question, earlier: prev, later: a });
    latest.set(a.question, a);
  }
  const facts: Fact[] = [];
  for (const [id, a] of [...latest].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const q = byId.get(id)!;
    const check = interpretAnswer(q, a.value);
    if (check.ok && check.value !== null) {
      const zone = q.type === 'time' ? typedOffset(a.value) : undefined;
      facts.push({
        name: q.sets,
        value: check.value,
        source: { kind: 'answer', question: id, ...(a.by ? { by: a.by } : {}), ...(a.at ? { at: a.at } : {}) },
        // The value is UTC; the offset it was typed with is shown beside it, so the person finds their own time.
        ...(zone ? { attrs: { zone } } : {}),
      });
    }
  }
  return { facts, answered: new Set(latest.keys()), problems, superseded };
}
