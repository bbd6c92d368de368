import type { Answer } from '../engine/answers.js';
import type { EvidenceBatch, EvidenceJson, ScanRecord, CaseInfo } from './types.js';

/** Row shapes both databases return (Postgres gives BIGINT as a string and JSONB as an object). */
export interface CaseRow {
  key: string;
  channel: string;
  thread_ts: string;
  created_at: string;
  updated_at: string;
  summary_ts: string | null;
  meta: string | Record<string, string>;
}

export interface EvidenceRow {
  input: string;
  facts: string;
  problems: string;
  added_by: string | null;
  added_at: string;
}

export interface AnswerRow {
  question: string;
  value: string;
  answered_by: string | null;
  answered_at: string | null;
}

export interface ScanRow {
  id: string;
  case_key: string;
  input: string;
  source: string;
  owner: string;
  started_at: string;
  heartbeat_at: number | string;
  attempts: number;
  added_by: string | null;
  added_at: string;
}

export function caseInfo(row: CaseRow): CaseInfo {
  return {
    key: row.key,
    channel: row.channel,
    threadTs: row.thread_ts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.summary_ts ? { summaryTs: row.summary_ts } : {}),
    meta: typeof row.meta === 'string' ? (JSON.parse(row.meta) as Record<string, string>) : row.meta,
  };
}

/** The part of a case's row a chat front end keeps beside the case. */
export function threadInfo(row: Pick<CaseRow, 'summary_ts' | 'meta'>): { summaryTs?: string; meta: Record<string, string> } {
  return {
    ...(row.summary_ts ? { summaryTs: row.summary_ts } : {}),
    meta: typeof row.meta === 'string' ? (JSON.parse(row.meta) as Record<string, string>) : row.meta,
  };
}

export function evidenceBatch(r: EvidenceRow): EvidenceBatch {
  return { input: r.input, facts: JSON.parse(r.facts), problems: JSON.parse(r.problems), ...(r.added_by ? { addedBy: r.added_by } : {}), addedAt: r.added_at };
}

/** A batch as stored, facts and problems left as JSON text. */
export function evidenceJson(r: EvidenceRow & { id: number | string }): EvidenceJson & { id: string } {
  return { id: String(r.id), input: r.input, facts: r.facts, problems: r.problems, ...(r.added_by ? { addedBy: r.added_by } : {}), addedAt: r.added_at };
}

export function answer(r: AnswerRow): Answer {
  return { question: r.question, value: r.value, ...(r.answered_by ? { by: r.answered_by } : {}), ...(r.answered_at ? { at: r.answered_at } : {}) };
}

export function scanRecord(r: ScanRow): ScanRecord {
  return {
    id: r.id,
    key: r.case_key,
    input: r.input,
    source: JSON.parse(r.source) as Record<string, unknown>,
    owner: r.owner,
    startedAt: r.started_at,
    heartbeatAt: Number(r.heartbeat_at),
    attempts: Number(r.attempts),
    ...(r.added_by ? { addedBy: r.added_by } : {}),
    addedAt: r.added_at,
  };
}

/** Answers in the order they were given (their time, then arrival): the engine lets the last one of a question stand. */
export const ANSWER_ORDER = "COALESCE(answered_at, ''), id";

/**
 * Where `answer` (just inserted, with id `id`) falls among the answers to
 * its question, listed in ANSWER_ORDER: the one it replaces, or the later
 * one that still stands.
 */
export function answerPlace(ordered: (AnswerRow & { id: number | string })[], id: number | string): { superseded?: Answer; supersededBy?: Answer } {
  const i = ordered.findIndex((r) => String(r.id) === String(id));
  const before = i > 0 ? ordered[i - 1] : undefined;
  const latest = i >= 0 && i < ordered.length - 1 ? ordered.at(-1) : undefined;
  return { ...(before ? { superseded: answer(before) } : {}), ...(latest ? { supersededBy: answer(latest) } : {}) };
}

/** Scans in the order they started (ids break ties): recovery tells a thread about its files in that order. */
export function byStart(a: ScanRecord, b: ScanRecord): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
