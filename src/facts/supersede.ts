import type { Fact } from './schema.js';

/**
 * Newer evidence supersedes older (issue 8 item 3) for what the server pushes with: a TokenUpdate gave the
 * server a PushMagic and token at one time, and a push line shows which it carried at another. Of one
 * device's values, the latest is what the server uses now; an older, different value is history. Only
 * times that can be compared count: UTC or an offset, or times without a zone from the same input.
 * Values without any time (pasted, a check-in saved on its own) are never superseded and supersede nothing.
 */
const BY_TIME: ReadonlySet<string> = new Set(['server.push_magic', 'server.push_token']);

interface Timed {
  ms: number;
  /** What the time can be compared with: "utc", or "unknown@<input>" for a wall clock without a zone. */
  clock: string;
}

function timeOf(f: Fact): Timed | undefined {
  const at = f.at ?? f.attrs?.pushed_at;
  if (!at) return undefined;
  const ms = Date.parse(at);
  if (!Number.isFinite(ms)) return undefined;
  const zone = f.at ? f.attrs?.zone : f.attrs?.pushed_zone;
  return { ms, clock: zone === 'unknown' ? `unknown@${'input' in f.source ? f.source.input : ''}` : 'utc' };
}

export function withoutSuperseded<F extends Fact>(facts: readonly F[]): readonly F[] {
  const groups = new Map<string, { f: F; t: Timed }[]>();
  for (const f of facts) {
    if (!BY_TIME.has(f.name)) continue;
    const t = timeOf(f);
    if (!t) continue;
    const key = `${f.name}\u0000${f.attrs?.udid?.trim().toUpperCase() ?? ''}`;
    const g = groups.get(key);
    if (g) g.push({ f, t });
    else groups.set(key, [{ f, t }]);
  }
  const dropped = new Set<F>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    for (const { f, t } of g) {
      const newer = g.some((o) => o.t.clock === t.clock && o.t.ms > t.ms && norm(o.f.value) !== norm(f.value));
      if (newer) dropped.add(f);
    }
  }
  return dropped.size ? facts.filter((f) => !dropped.has(f)) : facts;
}

const norm = (v: Fact['value']) => String(v).trim().toUpperCase();
