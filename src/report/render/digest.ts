import type { CauseStatus } from '../../engine/diagnose.js';
import { DOMAIN_WORDS, focusDomains, focusQuestions } from '../focus.js';
import { humanizeTimes } from '../time.js';
import type { CauseReport, QuestionReport, Report } from '../types.js';
import { documentTitle, sourceWords } from './documents.js';
import { foldEvidence, observationLine } from './observations.js';
import { Places, type WordsOptions } from './places.js';
import { deviceLine, scrubIds, shortHex } from './words.js';

/** Questions the 30-second view asks; the rest are one step away. */
const TOP_QUESTIONS = 3;
/** Evidence lines and next steps per cause in the 30-second view. */
const SEEN_LINES = 3;
const STEPS = 3;

export interface FoundCause {
  id: string;
  status: Extract<CauseStatus, 'confirmed' | 'likely'>;
  title: string;
  why: string[];
  seen: string[];
  /** Evidence lines left out of `seen`. */
  moreSeen: number;
  steps: string[];
  /** Next steps left out of `steps` (two rules that hold can repeat each other's advice). */
  moreSteps: number;
  /** Document title and section. */
  source: string;
  /** Document title only, where room is short. */
  document: string;
}

/**
 * The 30-second view of a report, the same for the terminal, Markdown and
 * Slack: the headline with the next action, the confirmed and likely causes
 * with evidence and steps, the top questions, one line per ruled-out cause,
 * open causes by title. Only causes of the kinds of problem the case is about.
 */
export interface Digest {
  headline: string;
  /** "MDM push", "app push notifications and MDM push". */
  about?: string;
  device?: string;
  /** The inputs, archives named once. */
  inputs?: string;
  notes: string[];
  found: FoundCause[];
  questions: QuestionReport[];
  moreQuestions: QuestionReport[];
  ruledOut: { title: string; reason: string }[];
  open: string[];
  problems: string[];
  /** Apple Feedback: what the evidence does not hold yet. */
  escalation?: { missing: string[] };
  /** Causes left out because they are of another kind of problem. */
  otherKinds: number;
}

/** Text from rules and notes, in people's words: no ids, times with their zone, short hashes when brief. */
export function prose(text: string, brief = true): string {
  const t = humanizeTimes(scrubIds(text));
  return brief ? shortHex(t) : t;
}

/**
 * The opening sentences of a text, as many as fit in `max` characters (at
 * least one, cut at a word if even that is longer): for places with little room.
 */
export function opening(text: string, max: number): string {
  if (text.length <= max) return text;
  // A sentence ends at . ! ? before a space and a capital: file names (system_logs.logarchive) and "e.g. x" do not end one.
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z"'(])/);
  let out = sentences[0]!;
  for (const s of sentences.slice(1)) {
    if (`${out} ${s}`.length > max) break;
    out = `${out} ${s}`;
  }
  return out.length <= max ? out : `${out.slice(0, max).replace(/\s+\S*$/, '')}…`;
}

/** A ruled-out cause's reason, short: its first clause, cut near 160 characters. */
function shortReason(c: CauseReport): string {
  const first = c.because.find((b) => b.trim()) ?? c.summary;
  // The first clause, without its asides: "(or someone confirmed it was not erased)", "(com.apple.mgmt.External.…)".
  let s = prose(first)
    .split(/;\s+|\s+—\s+/)[0]!
    .replace(/\s+\([^()]*\)/g, '')
    .trim();
  if (s.length > 160) s = `${s.slice(0, 160).replace(/\s+\S*$/, '')}…`;
  return /[.?!…]$/.test(s) ? s : `${s}.`;
}

function found(c: CauseReport, places: Places): FoundCause {
  const obs = foldEvidence(c.evidence, places, { brief: true }).map(observationLine);
  return {
    id: c.id,
    status: c.status as FoundCause['status'],
    title: c.title,
    // The first reason, and any that speaks against the cause; the rest are in the full view.
    why: c.because.filter((b, i) => i === 0 || b.startsWith('Yet other evidence')).map((b) => prose(b)),
    seen: obs.slice(0, SEEN_LINES),
    moreSeen: Math.max(0, obs.length - SEEN_LINES),
    steps: c.nextSteps.slice(0, STEPS).map((s) => prose(s, false)),
    moreSteps: Math.max(0, c.nextSteps.length - STEPS),
    source: sourceWords(c.source),
    document: documentTitle(c.source.document),
  };
}

export function digest(report: Report, opts: WordsOptions = {}): Digest {
  const places = new Places(report, opts);
  const focus = report.focus ?? focusDomains(report);
  const causes = report.causes.filter((c) => focus.includes(c.domain));
  const questions = focusQuestions(report, focus);
  const device = deviceLine(report);
  const inputs = places.inputsLine(report);
  return {
    headline: prose(report.headline, false),
    ...(focus.length ? { about: focus.map((d) => DOMAIN_WORDS[d]).join(' and ') } : {}),
    ...(device ? { device } : {}),
    ...(inputs ? { inputs } : {}),
    // Notes quote derived sentences that name inputs by path: by their names here, as everywhere in the report.
    notes: report.notes.map((n) => shortHex(places.inWords(n.text))),
    found: causes.filter((c) => c.status === 'confirmed' || c.status === 'likely').map((c) => found(c, places)),
    questions: questions.slice(0, TOP_QUESTIONS),
    moreQuestions: questions.slice(TOP_QUESTIONS),
    ruledOut: causes.filter((c) => c.status === 'ruled_out').map((c) => ({ title: c.title, reason: shortReason(c) })),
    open: causes.filter((c) => c.status === 'open').map((c) => c.title),
    problems: report.problems.map((p) => `${p.member ? places.member(p.input, p.member) : places.input(p.input)}: ${prose(p.message, false)}`),
    ...(report.escalation ? { escalation: { missing: report.escalation.missing.map((m) => prose(m, false)) } } : {}),
    otherKinds: report.causes.length - causes.length,
  };
}
