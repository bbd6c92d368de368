import type { Domain, FactValue, Source } from '../facts/schema.js';
import type { CauseStatus, FilingStatus } from '../engine/diagnose.js';
import type { SourceRef } from '../engine/ruleSchema.js';

/**
 * The JSON contract (schemaVersion 1). Fields may be added; none is renamed
 * or removed. Documented in README.md ("JSON report").
 */
export interface Report {
  schemaVersion: 1;
  /** Domains the evidence speaks to: mdm, apns, notnow, securemail. */
  domains: Domain[];
  /** One line for the top of any rendering: what was found and what to do next. */
  headline: string;
  /** The one thing to do next (the headline's second half, as data). Added in schemaVersion 1. */
  nextAction?: NextAction;
  /** The kinds of problem the case is about, of `domains`: renderings show only their causes. Added in schemaVersion 1. */
  focus?: Domain[];
  device: DeviceSummary;
  /** Notes that are not causes: e.g. the logs are redacted and the logging profiles are needed. */
  notes: NoteReport[];
  causes: CauseReport[];
  questions: QuestionReport[];
  escalation: null | Escalation;
  problems: ProblemReport[];
  conflicts: ConflictReport[];
  facts: FactReport[];
  /** Timed facts in order, for timelines. */
  timeline: TimelineEvent[];
  /** Whether the case goes to Apple, and what filing still needs (absent when the rules define no escalation). */
  filing?: FilingReport;
}

/**
 * The Feedback decision: `ready` (a draft is in `escalation`), `no_failed_push` (every cause is ruled
 * out but Apple would need a failed push: see `collect`), `causes_open`, `push_answered` (the latest
 * push was answered: nothing to file), `not_for_apple` (the case's domains never go to Apple),
 * `values_conflict` (an answer and the evidence disagree on what APNs answered: see `conflicts`), `push_refused`
 * (every failed push on record was refused by APNs, whose answer names the fault: not one for Apple), `push_transient`
 * (every failed push got APNs's own transient 5xx, over less than an hour: retry first), `token_renewed` (every failed
 * MDM push got 410 before the device's latest TokenUpdate: push to its new token first).
 */
export interface FilingReport {
  status: FilingStatus;
  /** Kinds of push left out of the filing: a push of theirs arrived (the MDM push answered beside an app's failing pushes). */
  heldBack?: Domain[];
  /** What Apple asks for, each ticked only when the evidence proves it. */
  checklist: { id: string; item: string; done: boolean; todo?: string }[];
  /** What to collect before filing, when no failed push is on record (empty otherwise). */
  collect: string[];
}

export interface NextAction {
  /** fix: a cause is confirmed; confirm: one is likely; answer: a question; attach: evidence; feedback: file with Apple; none: nothing pushcheck can check. */
  kind: 'fix' | 'confirm' | 'answer' | 'attach' | 'feedback' | 'none';
  /** The action in words. */
  text: string;
  /** The cause it is about. */
  cause?: string;
  /** The question to answer. */
  question?: string;
  /** What to attach. */
  attach?: string;
}

export interface DeviceSummary {
  model?: string;
  osVersion?: string;
  osBuild?: string;
  platform?: string;
  sysdiagnoseAt?: string;
}

export interface NoteReport {
  id: string;
  text: string;
  evidence: EvidenceReport[];
  source: SourceRef;
}

export interface EvidenceReport {
  fact: string;
  value: FactValue;
  /** Where it was read, in words: "bundle.tgz › logs/MCState/Shared/MDM.plist". */
  source: string;
  origin: Source;
  at?: string;
  attrs?: Record<string, string>;
  /**
   * Present when this stands for several observations of the same thing (a log line repeated
   * thousands of times): how many, the earliest and latest time among them, and a few of them
   * (the first ones and the last). `source`, `origin`, `at` and `attrs` describe the first.
   */
  count?: number;
  firstAt?: string;
  lastAt?: string;
  examples?: ExampleReport[];
}

/** One of the observations a folded fact stands for. */
export interface ExampleReport {
  source: string;
  origin: Source;
  value: FactValue;
  at?: string;
  attrs?: Record<string, string>;
}

export interface CauseReport {
  id: string;
  domain: Domain;
  status: CauseStatus;
  title: string;
  summary: string;
  /** Sentences saying why the status holds (from the rules that decided it). */
  because: string[];
  evidence: EvidenceReport[];
  nextSteps: string[];
  /** For open and likely causes: the facts whose absence keeps the cause unsettled. */
  missing: string[];
  source: SourceRef;
  /** The rules that decided the status, with their condition trees. */
  rules: RuleTraceReport[];
  /** Facts an answer and the evidence disagree on (see `conflicts`), which keep this cause open until settled. Added in schemaVersion 1. */
  contested?: string[];
}

export interface RuleTraceReport {
  id: string;
  outcome: 'confirms' | 'suggests' | 'rules_out';
  result: true | false | 'unknown';
  source: SourceRef;
  trace: TraceNode;
}

export interface TraceNode {
  says: string;
  result: true | false | 'unknown';
  missing?: string[];
  children?: TraceNode[];
}

export interface QuestionReport {
  id: string;
  text: string;
  help?: string;
  type: 'yesno' | 'choice' | 'value' | 'time';
  /** Buttons to offer; empty for typed answers. */
  answers: { value: string; label: string }[];
  pattern?: string;
  /** Causes an answer could settle. */
  settles: string[];
}

export interface Escalation {
  /** Plain-text Apple Feedback draft, from prompts/feedback.md. */
  feedbackDraft: string;
  /** What Apple asks for that the evidence does not hold yet. */
  missing: string[];
}

export interface ProblemReport {
  input: string;
  member?: string;
  code: string;
  message: string;
}

export interface ConflictReport {
  fact: string;
  values: EvidenceReport[];
}

export interface FactReport extends EvidenceReport {
  secret?: boolean;
  /**
   * Listed, but not read by the rules for this case: another device's push detail once the case names its
   * device, or a value newer evidence superseded (an older enrollment's PushMagic). The Feedback draft leaves it out.
   */
  setAside?: true;
}

export interface TimelineEvent {
  at: string;
  fact: string;
  label: string;
  value: FactValue;
  source: string;
  attrs?: Record<string, string>;
  /** For a folded fact: how many observations, and the latest time among them (`at` is the first's). */
  count?: number;
  lastAt?: string;
}
