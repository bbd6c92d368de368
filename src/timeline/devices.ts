import { ID_ATTRS, namesDevice, usableId } from '../facts/derive/deviceEvents.js';
import { showSecret, type SecretKind } from '../facts/secrets.js';
import type { Report, TimelineEvent } from '../report/types.js';

/**
 * Which device each event of the picture is about, when the evidence holds
 * several (a server log of many enrolled devices, a provider log of many
 * tokens). Two names on one line are one device, as the diagnosis groups
 * them (src/facts/derive/caseDevices.ts); an app push is named by its token.
 * A masked or cut name names no device.
 */

export interface DeviceGroups {
  /** The group of an event that names a device. */
  of: (e: TimelineEvent) => string | undefined;
  /** Group keys in drawing order: the case's own device first, then by name. */
  order: string[];
  /** How each group is named beside its lanes (no more of a token or UDID than a channel may see). */
  labels: Map<string, string>;
  /** The group of the case's device, when the case names one. */
  subject?: string;
}

const KINDS: Record<string, SecretKind> = { udid: 'udid', device: 'udid', enrollment_id: 'udid', device_id: 'other', serial: 'serial', token: 'token' };

function namesOf(e: TimelineEvent): [attr: string, value: string][] {
  const out: [string, string][] = [];
  for (const k of [...ID_ATTRS, 'token']) {
    const v = e.attrs?.[k]?.trim();
    if (v && namesDevice(k, v)) out.push([k, v.toUpperCase()]);
  }
  return out;
}

class Names {
  private parent = new Map<string, string>();
  find(x: string): string {
    const p = this.parent.get(x);
    if (p === undefined || p === x) return x;
    const root = this.find(p);
    this.parent.set(x, root);
    return root;
  }
  join(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The smaller name becomes the root, so the grouping does not depend on the order of joins.
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent.set(child, root);
  }
}

/** The names of the device the case is about (its case.device fact), upper-cased. */
function subjectNames(report: Report): string[] {
  const f = report.facts.find((x) => x.fact === 'case.device');
  if (!f) return [];
  const named = Object.entries(f.attrs ?? {}).filter(([k, v]) => namesDevice(k, v.trim()));
  return [String(f.value), ...named.map(([, v]) => v)].map((v) => v.trim().toUpperCase()).filter((v, i) => i > 0 || usableId(v));
}

/** The devices the events name; undefined when they name fewer than two (the picture is drawn as for one device). */
export function deviceGroups(report: Report, events: readonly TimelineEvent[]): DeviceGroups | undefined {
  const names = new Names();
  const first = new Map<string, [attr: string, value: string]>();
  for (const e of events) {
    const ns = namesOf(e);
    for (const n of ns) if (!first.has(n[1])) first.set(n[1], n);
    for (let i = 1; i < ns.length; i++) names.join(ns[0]![1], ns[i]![1]);
  }
  const roots = new Set([...first.keys()].map((n) => names.find(n)));
  if (roots.size < 2) return undefined;
  const subject = new Set(subjectNames(report).map((n) => names.find(n)));
  const order = [...roots].sort((a, b) => Number(subject.has(b)) - Number(subject.has(a)) || (a < b ? -1 : a > b ? 1 : 0));
  const of = (e: TimelineEvent) => {
    const n = namesOf(e)[0];
    return n && names.find(n[1]);
  };
  return { of, order, labels: labelsOf(order, names, first, subject), ...(subject.size ? { subject: order[0] } : {}) };
}

/** A name per group: a UDID before a serial or server id, a token for an app's copy; shortened as a channel may see it. */
function labelsOf(order: string[], names: Names, first: Map<string, [string, string]>, subject: Set<string>): Map<string, string> {
  const rank = (attr: string) => ['udid', 'enrollment_id', 'device', 'token', 'device_id', 'serial'].indexOf(attr);
  const best = new Map<string, [string, string]>();
  for (const [name, n] of [...first].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const root = names.find(name);
    const had = best.get(root);
    if (!had || rank(n[0]) < rank(had[0])) best.set(root, n);
  }
  const labels = new Map<string, string>();
  const shown = order.map((root) => {
    const [attr, value] = best.get(root)!;
    const short = showSecret(value, KINDS[attr] ?? 'other', 'channel');
    return `${attr === 'token' ? 'token' : 'device'} ${short}`;
  });
  order.forEach((root, i) => {
    // Two names that shorten alike (or a serial a channel may not see) are told apart by their place.
    const ambiguous = shown[i]!.includes('••••') || shown.filter((s) => s === shown[i]).length > 1;
    const name = ambiguous ? `device ${i + 1}` : shown[i]!;
    labels.set(root, subject.has(root) ? `${name} (this case)` : name);
  });
  return labels;
}
