import type { LogLine } from './lineFormat.js';
import { type Matcher, MATCHERS, type Observation } from './matchers.js';

/**
 * What an mdmd / mdmclient / apsd message means, as facts (the table is in
 * matchers.ts), and the cheap tests that decide which lines are looked at.
 */

export type { Observation } from './matchers.js';

const PROCESSES = new Set(['mdmd', 'mdmclient', 'apsd', 'ManagedClient', 'managedclient', 'mdmuserd']);

/** Whether a line comes from the MDM / push path (what device.log.mdm_lines counts). */
export function isPushPathLine(l: LogLine): boolean {
  if (l.process && (PROCESSES.has(l.process) || l.process.startsWith('apsd') || l.process.startsWith('mdm'))) return true;
  const s = l.subsystem;
  return !!s && (s.startsWith('com.apple.ManagedClient') || s.startsWith('com.apple.apsd') || s.startsWith('com.apple.aps') || s === 'com.apple.mdm');
}

/**
 * The cheap test run on every line of a log before any other regular
 * expression: every line a matcher below knows contains one of these. One
 * alternation is about twice as fast in V8 as the same words as includes().
 * They are also the line feeder's needles (see LinePrefilter), so a line it
 * passes over undecoded is exactly one that fails mayMatter.
 */
export const MAY_MATTER_WORDS: readonly string[] = ['mdm', 'aps', 'MDM', 'APS', 'ManagedClient', 'ourier', 'PersistentConnection', 'SCEP', 'required field'];
const MAY_MATTER = new RegExp(MAY_MATTER_WORDS.join('|'));
export function mayMatter(line: string): boolean {
  return MAY_MATTER.test(line);
}

/**
 * Whether any matcher could fire on a message: their patterns in two
 * alternations, the case-sensitive ones and the case-insensitive ones, each
 * with its own patterns' flags (so exactly the messages some pattern
 * matches). Most push-path lines (apsd and mdmd chatter) match none, and one
 * pass over the message costs far less than the table's patterns one by one.
 * One case-insensitive alternation of all of them (a looser superset) cost
 * about a fifth more on the push-heavy bench bundle's apsd and mdmd lines.
 */
const anyOf = (ms: readonly Matcher[], flags: string) => new RegExp(ms.map((m) => `(?:${m.test.source})`).join('|') || '(?!)', flags);
const ANY_EXACT = anyOf(
  MATCHERS.filter((m) => !m.test.ignoreCase),
  '',
);
const ANY_FOLDED = anyOf(
  MATCHERS.filter((m) => m.test.ignoreCase),
  'i',
);

/** Facts one message yields; several matchers may fire on one line. */
export function observe(l: LogLine): Observation[] {
  const out: Observation[] = [];
  if (!ANY_EXACT.test(l.message) && !ANY_FOLDED.test(l.message)) return out;
  let checkinStatus = false;
  for (const mt of MATCHERS) {
    const m = mt.test.exec(l.message);
    if (!m) continue;
    const obs = mt.make(m, l);
    // The generic "status: X" pattern must not double-count the HTTP response bracket.
    if (obs.some((o) => o.name === 'mdm.command.status')) {
      if (checkinStatus) continue;
      checkinStatus = true;
    }
    out.push(...obs);
  }
  return out;
}
