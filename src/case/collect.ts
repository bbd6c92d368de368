import { serverValues as readServerValues } from '../evidence/paste/serverValues.js';
import { readPaste, readPath } from '../evidence/read.js';
import { DEFAULT_LIMITS, type Limits, type Progress, type ReadContext, type ReadResult } from '../evidence/types.js';
import type { Answer } from '../engine/answers.js';
import type { Fact, Problem } from '../facts/schema.js';
import type { ServerValues } from './serverValues.js';

export interface Paste {
  text: string;
  /** How the paste is named in provenance: "--paste 1", "stdin", a Slack permalink. */
  label: string;
}

export interface CaseInput {
  /** Files, folders, archives. */
  paths?: readonly string[];
  pastes?: readonly Paste[];
  /** The MDM server's values, named as such (--topic / --magic / --token, the Slack form); `label` names them in provenance (default: the flag). */
  serverValues?: { values: ServerValues; label?: string };
  /** The reference time for "has this expired?" checks (pushcheck never reads the clock), and what it is called in provenance ("--now"). */
  now?: { at: string; label: string };
  /** Facts already gathered elsewhere (a stored case, a library caller's own reader). */
  facts?: readonly Fact[];
  /** Inputs that could not be handed over at all (a paste file that would not open), listed with the rest. */
  problems?: readonly Problem[];
  answers?: readonly Answer[];
}

export interface CollectOptions {
  limits?: Partial<Limits>;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface Evidence {
  facts: Fact[];
  problems: Problem[];
}

const PASTE_UNRECOGNISED =
  'holds nothing pushcheck recognises (no push topic, PushMagic, push token or log line it knows); paste values as "topic=…", "magic: …", "token …", or give a log or plist as a PATH';

function readContext(opts: CollectOptions = {}): ReadContext {
  return {
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}

/**
 * Text a person pasted. Given on purpose (a flag, a form, a message to the
 * bot), a paste that yields nothing says so rather than vanish; said in
 * passing (chatter in a thread being diagnosed) it stays quiet. The CLI and
 * Slack both read pastes here, so the same text gets the same answer.
 */
export async function readPasted(text: string, label: string, ctx: ReadContext, onPurpose = true): Promise<ReadResult> {
  const r = await readPaste(text, label, ctx);
  if (onPurpose && r.facts.length === 0 && r.problems.length === 0)
    return { facts: [], problems: [{ input: label, code: 'paste.unrecognised', message: PASTE_UNRECOGNISED }] };
  return r;
}

/** Reads every input; one bad input becomes a problem and the rest are still used. */
export async function collectEvidence(input: CaseInput, opts: CollectOptions = {}): Promise<Evidence> {
  const ctx = readContext(opts);
  const named = input.serverValues ? readServerValues(input.serverValues.values, input.serverValues.label) : undefined;
  const facts: Fact[] = [
    ...(named?.facts ?? []),
    ...(input.now ? [{ name: 'case.now', value: new Date(input.now.at).toISOString(), source: { kind: 'pasted' as const, input: input.now.label } }] : []),
    ...(input.facts ?? []),
  ];
  const problems: Problem[] = [];
  // One at a time: a sysdiagnose already keeps a core busy, and memory stays bounded.
  for (const path of input.paths ?? []) {
    const r = await readPath(path, ctx);
    for (const x of r.facts) facts.push(x); // a spread of 100k+ items overflows the call stack
    for (const x of r.problems) problems.push(x);
  }
  for (const p of input.pastes ?? []) {
    const r = await readPasted(p.text, p.label, ctx);
    for (const x of r.facts) facts.push(x); // a spread of 100k+ items overflows the call stack
    for (const x of r.problems) problems.push(x);
  }
  problems.push(...(named?.problems ?? []), ...(input.problems ?? []));
  return { facts, problems };
}
