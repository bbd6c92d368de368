import type { EvidenceReport, Report } from '../report/types.js';

// The report's facts as the Feedback draft reads them, and which of them are about the device the
// case is about (a server log holds other devices too).

type FactOf = Report['facts'][number];

/** Facts of one name, in report order. */
export function factsOf(report: Report, name: string): FactOf[] {
  return report.facts.filter((f) => f.fact === name);
}

/**
 * Distinct values of a fact, in report order, as the rules read them for the case: not another device's
 * push detail nor a value newer evidence superseded (the report lists those, set aside).
 */
export function values(report: Report, name: string): string[] {
  return [...new Set(factsOf(report, name).flatMap((f) => (f.setAside ? [] : [String(f.value)])))];
}

export function joined(vs: string[]): string | undefined {
  return vs.length ? vs.join(' / ') : undefined;
}

/** The device the case is about, by every name the evidence gives it. */
export function caseDeviceIds(report: Report): Set<string> {
  const ids = new Set<string>();
  for (const f of factsOf(report, 'case.device')) {
    ids.add(String(f.value).toUpperCase());
    for (const v of Object.values(f.attrs ?? {})) ids.add(v.toUpperCase());
  }
  return ids;
}

/** The attributes that name a device. */
const DEVICE_NAMES = ['udid', 'device', 'enrollment_id', 'serial', 'device_id'];

/** Events of other devices in the same server log are not this device's history. */
export function ofCaseDevice(e: { attrs?: Record<string, string> }, ids: Set<string>): boolean {
  if (!ids.size) return true;
  const names = DEVICE_NAMES.map((k) => e.attrs?.[k]).filter((v): v is string => !!v);
  return !names.length || names.some((n) => ids.has(n.toUpperCase()));
}

/**
 * A ruled-out cause's evidence as Apple should see it: about this device.
 * Another device in the same server log is not Apple's business (and its
 * UDID would read as this case's); its observations stay only when nothing
 * else backs the cause, and then without its name (the server reaching
 * APNs for another device still shows the server reaches APNs).
 */
export function thisDevicesEvidence(list: readonly EvidenceReport[], ids: Set<string>): EvidenceReport[] {
  const own = list.filter((e) => ofCaseDevice(e, ids));
  if (own.length) return own;
  return list.map((e) => (e.attrs ? { ...e, attrs: Object.fromEntries(Object.entries(e.attrs).filter(([k]) => !DEVICE_NAMES.includes(k))) } : e));
}
