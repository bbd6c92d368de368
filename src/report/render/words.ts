import type { CauseStatus } from '../../engine/diagnose.js';
import { factDefinition } from '../../facts/catalog/index.js';
import type { Report } from '../types.js';

export const STATUS_LABEL: Record<CauseStatus, string> = {
  confirmed: 'CONFIRMED',
  likely: 'LIKELY',
  open: 'OPEN',
  ruled_out: 'RULED OUT',
};

/** A status in running text: "open → confirmed". */
export const STATUS_WORDS = { confirmed: 'confirmed', likely: 'likely', open: 'open', ruled_out: 'ruled out' } as const;

export const STATUS_EMOJI: Record<CauseStatus, string> = {
  confirmed: '🔴',
  likely: '🟠',
  open: '⚪',
  ruled_out: '✅',
};

export function sourceLine(c: Report['causes'][number]): string {
  return `${c.source.document} — ${c.source.section}${c.source.note ? ` (${c.source.note})` : ''}`;
}

export function deviceLine(r: Report): string | undefined {
  const d = r.device;
  const parts = [d.model, [d.platform, d.osVersion].filter(Boolean).join(' '), d.osBuild && `build ${d.osBuild}`, d.sysdiagnoseAt && `sysdiagnose ${d.sysdiagnoseAt}`].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

export function answerHint(q: Report['questions'][number]): string {
  if (q.answers.length) return q.answers.map((a) => a.value).join(' | ');
  if (q.type === 'time') return 'a date and time, e.g. 2026-11-20T14:05Z';
  return 'a value';
}

export interface EvidenceLine {
  fact: string;
  value: Report['causes'][number]['evidence'][number]['value'];
  at?: string;
  /** Places to name (a folded observation brings its examples). */
  sources: string[];
  /** How many observations the line stands for in all. */
  count: number;
}

/** Line 2 before line 10. Made on first use: building an ICU collator costs a small run a noticeable share of its time. */
let collator: Intl.Collator | undefined;
const naturally = (a: string, b: string) => (collator ??= new Intl.Collator('en', { numeric: true })).compare(a, b);

/**
 * Observations of the same fact with the same value (and time) as one line:
 * a device that rejects every push logs the same line many times, and a
 * reader wants the places, not a wall of copies. Places in line order.
 */
export function evidenceLines(evidence: Report['causes'][number]['evidence']): EvidenceLine[] {
  const lines = new Map<string, EvidenceLine>();
  for (const e of evidence) {
    // A folded observation brings the places of its examples and its count.
    const key = JSON.stringify([e.fact, e.value, e.at ?? '']);
    const places = e.examples?.map((x) => x.source) ?? [e.source];
    const line = lines.get(key);
    if (line) {
      for (const p of places) line.sources.push(p);
      line.count += e.count ?? 1;
    } else lines.set(key, { fact: e.fact, value: e.value, ...(e.at ? { at: e.at } : {}), sources: places, count: e.count ?? 1 });
  }
  for (const l of lines.values()) l.sources.sort(naturally);
  return [...lines.values()];
}

/** "a:1, a:2, a:3 and 9 more" (`total`: how many places there are, when not all are listed). */
export function placesOf(sources: readonly string[], shown = 3, total = sources.length): string {
  const head = sources.slice(0, shown).join(', ');
  return total > shown ? `${head} and ${total - Math.min(shown, sources.length)} more` : head;
}

/** A fact in words: its catalog description without the trailing parenthetical (ids, attrs). */
export function factWords(name: string): string | undefined {
  return factDefinition(name)?.description.replace(/ \(.*?\)$/, '');
}
