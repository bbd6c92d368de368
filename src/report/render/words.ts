import type { CauseStatus } from '../../engine/diagnose.js';
import type { Report } from '../types.js';

export const STATUS_LABEL: Record<CauseStatus, string> = {
  confirmed: 'CONFIRMED',
  likely: 'LIKELY',
  open: 'OPEN',
  ruled_out: 'RULED OUT',
};

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
