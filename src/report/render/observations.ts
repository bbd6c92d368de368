import { factDefinition } from '../../facts/catalog/index.js';
import { showSecret, type Audience } from '../../facts/secrets.js';
import { formatSpan, formatTime, isIsoTime } from '../time.js';
import type { EvidenceReport } from '../types.js';
import type { Places } from './places.js';
import { attrName, factWords, scrubIds, shortHex, valueWords } from './words.js';

/** One line of evidence in words: what was seen, and where (and when). */
export interface Observation {
  what: string;
  where: string;
  /** How many observations the line stands for. */
  count: number;
}

export interface FoldOptions {
  /** The 30-second view: short hashes, the telling attributes only, at most `places` places per line. */
  brief: boolean;
  places?: number;
  /** Who reads the brief view: hashes and UDIDs are shortened as this audience sees them (default 'shared'; Apple's draft shows them whole). */
  audience?: Audience;
}

/** Attributes that tell one observation from another (which device, what APNs said), in the brief view. */
const TELLING = ['status', 'reason', 'request_type', 'udid', 'topic', 'host', 'channel'];

/** A UDID (hex digits and dashes) in its shared short form, enough to tell devices apart; a name stays whole. */
function abbreviate(v: string, audience: Audience): string {
  return v.length > 12 && /^[0-9A-Fa-f-]+$/.test(v) ? showSecret(v, 'udid', audience) : v;
}

/**
 * Secure Mail's files record the Citrix listener's, Exchange's and iOS's statuses (seed 003), never an
 * answer from APNs: their status is said as a status.
 */
const notFromApns = (fact: string) => fact.startsWith('securemail.');

function attrsWords(attrs: Record<string, string> | undefined, brief: boolean, places?: Places, audience: Audience = 'shared', apnsStatus = true): string {
  if (!attrs) return '';
  const keys = Object.keys(attrs)
    .filter((k) => k !== 'zone' && attrs[k] !== '' && (!brief || TELLING.includes(k)))
    .sort((a, b) => (brief ? TELLING.indexOf(a) - TELLING.indexOf(b) : a < b ? -1 : 1));
  const parts = keys.map((k) => {
    const v = attrs[k]!;
    if (k === 'udid') return `device ${brief ? abbreviate(v, audience) : v}`;
    if (k === 'status') return apnsStatus ? `APNs answered ${v}` : `status ${v}`;
    if (k === 'reason' && brief) return v;
    if (k === 'request_type' && brief) return `${v} command`;
    // The MDM channel a command went on: "device" and "user" alone read as a device or person named "device".
    if (k === 'channel') return v === 'user' ? 'on the user channel' : v === 'device' ? 'on the device channel' : `channel ${v}`;
    return `${attrName(k)} ${isIsoTime(v) ? formatTime(v) : places ? places.inWords(v) : v}`;
  });
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** An event fact (an mdmd rejection, a push sent) is its time; its value says nothing more. */
function isEvent(e: EvidenceReport): boolean {
  if (e.at && (e.value === true || e.value === e.at)) return true;
  // A logged event without a time carries a placeholder value ("time not logged"): the line itself is the observation.
  return factDefinition(e.fact)?.type === 'time' && !isIsoTime(e.value);
}

/** What was seen, in words: "PushMagic the device expects: 8E41…", "mdmd rejected a push …". */
export function observationWords(e: EvidenceReport, brief: boolean, places?: Places, audience: Audience = 'shared'): string {
  const words = factWords(e.fact) ?? scrubIds(e.fact);
  const attrs = attrsWords(e.attrs, brief, places, audience, !notFromApns(e.fact));
  if (isEvent(e)) return `${words}${attrs}`;
  let value = valueWords(e.value, e.attrs?.zone);
  if (e.fact === 'notnow.channel' && (value === 'device' || value === 'user')) value = `the ${value} channel`;
  // A derived value is a sentence that may name inputs by path and times as ISO: in words like the rest.
  if (places && e.origin.kind === 'derived' && typeof e.value === 'string' && !isIsoTime(e.value)) value = places.inWords(value);
  if (brief) value = shortHex(value, audience);
  if (value.length > (brief ? 160 : 2000)) value = `${value.slice(0, brief ? 157 : 1997)}…`;
  // "Whether …: yes" reads; so does "How many …: 3". A description that is a statement takes "yes"/"no" as agreement.
  return `${words}: ${value}${attrs}`;
}

interface Place {
  container: string;
  lines: number[];
  times: string[];
  zone?: string;
  count: number;
  /** Lines of a folded fact known only by its count (its examples are in `lines`). */
  moreLines: number;
}

function placeWords(p: Place): string {
  const lines = [...new Set(p.lines)].sort((a, b) => a - b);
  const when = p.times.length ? formatSpan(p.times, p.zone) : '';
  if (p.count === 1) return [lines.length ? `${p.container} line ${lines[0]}` : p.container, when].filter(Boolean).join(', ');
  const n = lines.length + p.moreLines;
  const what = n > 1 ? `${n} lines` : lines.length === 1 ? `line ${lines[0]}` : `${p.count} entries`;
  return `${p.container}: ${[what, when].filter(Boolean).join(', ')}`;
}

/** The observations one evidence entry stands for that can be placed: itself, or a folded fact's examples. */
function placed(e: EvidenceReport): Pick<EvidenceReport, 'origin' | 'at' | 'attrs'>[] {
  return e.examples?.length
    ? e.examples.map((x) => ({ origin: x.origin, ...(x.at ? { at: x.at } : {}), ...((x.attrs ?? e.attrs) ? { attrs: x.attrs ?? e.attrs } : {}) }))
    : [e];
}

/**
 * Observations of one thing folded into one line, with each place it was
 * seen once ("apsd.log: 3 lines, 2025-11-21 09:01–09:14 UTC"): a device
 * that rejects every push logs the same line many times.
 */
export function foldEvidence(evidence: readonly EvidenceReport[], places: Places, opts: FoldOptions): Observation[] {
  const groups = new Map<string, { what: string; places: Map<string, Place>; count: number }>();
  for (const e of evidence) {
    const what = observationWords(e, opts.brief, places, opts.audience);
    let g = groups.get(what);
    if (!g) groups.set(what, (g = { what, places: new Map(), count: 0 }));
    // A folded fact (issue 11) stands for `count` observations: its examples are placed, the rest counted with the last of them.
    let p: Place | undefined;
    for (const x of placed(e)) {
      g.count++;
      const container = places.container(x.origin);
      p = g.places.get(container);
      if (!p) g.places.set(container, (p = { container, lines: [], times: [], count: 0, moreLines: 0, ...(x.attrs?.zone ? { zone: x.attrs.zone } : {}) }));
      p.count++;
      if ('line' in x.origin && x.origin.line && !(x.origin.kind === 'pasted' && places.named(x.origin.input))) p.lines.push(x.origin.line);
      // An answer's place already says when; an event's time is the observation's.
      if (x.at && x.origin.kind !== 'answer') p.times.push(x.at);
    }
    const rest = (e.count ?? 1) - placed(e).length;
    if (p && rest > 0) {
      g.count += rest;
      p.count += rest;
      if ('line' in e.origin && e.origin.line) p.moreLines += rest;
      for (const t of [e.firstAt, e.lastAt]) if (t && e.origin.kind !== 'answer') p.times.push(t);
    }
  }
  const max = opts.places ?? (opts.brief ? 3 : Number.POSITIVE_INFINITY);
  return [...groups.values()].map((g) => {
    const all = [...g.places.values()].map(placeWords);
    const shown = all.slice(0, max);
    const rest = all.length - shown.length;
    return { what: g.what, where: `${shown.join('; ')}${rest > 0 ? `; and ${rest} more place${rest === 1 ? '' : 's'}` : ''}`, count: g.count };
  });
}

/** "what — where". */
export function observationLine(o: Observation): string {
  return o.where ? `${o.what} — ${o.where}` : o.what;
}
