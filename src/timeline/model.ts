import { factDefinition } from '../facts/catalog/index.js';
import type { Report, TimelineEvent } from '../report/types.js';
import { deviceGroups, type DeviceGroups } from './devices.js';

/**
 * What the timeline picture shows, worked out from report.timeline alone:
 * marks on lanes, spans (the 25-hour self-healing window, certificate
 * validity) and vertical markers (failures began, sysdiagnose taken).
 */
export type LaneId = 'push' | 'app_push' | 'contact' | 'command' | 'device' | 'enrollment' | 'certificate' | 'other';
export type Tone = 'ok' | 'bad' | 'warn' | 'info';
export type Shape = 'circle' | 'diamond' | 'square' | 'triangle';

const LANES: { id: LaneId; title: string }[] = [
  { id: 'push', title: 'Pushes sent (APNs answer)' },
  { id: 'app_push', title: 'App pushes (APNs answer)' },
  { id: 'contact', title: 'Device contacts server' },
  { id: 'command', title: 'MDM command status' },
  { id: 'device', title: 'Device log' },
  { id: 'enrollment', title: 'Enrollment' },
  { id: 'certificate', title: 'Certificates, profiles' },
  { id: 'other', title: 'Other events' },
];

export interface Mark {
  at: number;
  iso: string;
  lane: LaneId;
  label: string;
  tone: Tone;
  shape: Shape;
  /** The source wrote the time with no zone: placed as written, marked in the picture. */
  zoneless?: boolean;
  /** A push's kind: the MDM server's, or an app provider's (drawn apart when a case holds both). */
  push?: 'mdm' | 'app';
  /** The device the event is about, when the case holds several (each gets rows of its own). */
  device?: string;
}

export interface Span {
  from: number;
  to: number;
  lane: LaneId;
  label: string;
  tone: Tone;
  zoneless?: boolean;
  device?: string;
}

export interface Marker {
  at: number;
  label: string;
  zoneless?: boolean;
}

export interface TimelineModel {
  marks: Mark[];
  spans: Span[];
  markers: Marker[];
  /** Lanes that hold something, in LANES order. */
  lanes: LaneId[];
  /** Time range the axis covers (ms since epoch), before padding: the failing pushes and what followed. */
  start: number;
  end: number;
  /** What the range was chosen around: the latest failures, or (none failed) the latest activity. */
  around: 'failures' | 'activity';
  /** Markers (sysdiagnose, failures began) outside that range, named in words instead. */
  markersOutside: Marker[];
  /** Some times in the picture were written without a zone. */
  zoneless: boolean;
  /** Lane titles that differ from LANES' (MDM and app pushes side by side name their lanes). */
  titles: Partial<Record<LaneId, string>>;
  /** The rows drawn, top to bottom: one per lane, or, when the case holds several devices, one per lane and device. */
  rows: Row[];
}

/** One row of the picture: a lane, for one device when the case holds several. */
export interface Row {
  lane: LaneId;
  /** The device's group key; absent for a lane of one device's events, or events that name no device. */
  device?: string;
  /** Named beside the lane: the device, or that its events name none. */
  label?: string;
}

/** The title a lane is drawn with. */
export function laneTitle(model: TimelineModel, lane: LaneId): string {
  return model.titles[lane] ?? LANES.find((l) => l.id === lane)!.title;
}

/** Lanes that hold pushes and their APNs answers. */
export function isPushLane(lane: LaneId): boolean {
  return lane === 'push' || lane === 'app_push';
}

export const SELF_HEALING_MS = 25 * 3600 * 1000;

interface Kind {
  lane: LaneId;
  label: (e: TimelineEvent) => string;
  tone: (e: TimelineEvent) => Tone;
  shape: Shape;
  push?: 'mdm' | 'app';
}

const fixed = (lane: LaneId, label: string, tone: Tone, shape: Shape): Kind => ({ lane, label: () => label, tone: () => tone, shape });

function pushLabel(e: TimelineEvent): string {
  const parts = [e.attrs?.status, e.attrs?.reason].filter(Boolean);
  return parts.length ? parts.join(' ') : 'sent';
}

/** Green for a 2xx answer, red for any other HTTP status, blue when the log holds no APNs answer ("sent"). */
function pushTone(e: TimelineEvent): Tone {
  const status = e.attrs?.status;
  if (!status || !/^\d{3}$/.test(status)) return 'info';
  return status.startsWith('2') ? 'ok' : 'bad';
}

const COMMAND_TONES: Record<string, Tone> = { Acknowledged: 'ok', Idle: 'info', NotNow: 'warn', Error: 'bad', CommandFormatError: 'bad' };

const KINDS: Record<string, Kind> = {
  'server.push_sent': { lane: 'push', label: pushLabel, tone: pushTone, shape: 'circle', push: 'mdm' },
  'device.log.checkin': fixed('contact', 'check-in', 'ok', 'diamond'),
  'device.last_polling_attempt': fixed('contact', 'poll', 'ok', 'diamond'),
  'device.last_polling_success': fixed('contact', 'poll OK', 'ok', 'diamond'),
  'notnow.command_sent': fixed('command', 'command sent', 'info', 'square'),
  'mdm.command.status': {
    lane: 'command',
    label: (e) => String(e.value),
    tone: (e) => COMMAND_TONES[String(e.value)] ?? 'info',
    shape: 'square',
  },
  'device.log.magic_rejection': fixed('device', 'wrong magic', 'bad', 'triangle'),
  'device.log.push_received': fixed('device', 'push received', 'ok', 'circle'),
  'device.log.courier_connected': fixed('device', 'APNs connected', 'info', 'circle'),
  'device.log.connection_failure': fixed('device', 'connection failed', 'bad', 'triangle'),
  'device.log.token_update_skipped': fixed('device', 'TokenUpdate skipped', 'warn', 'triangle'),
  'device.push_magic_mismatch_at': fixed('device', 'magic mismatch noted', 'bad', 'triangle'),
  'device.log.push_ignored': fixed('device', 'push ignored', 'warn', 'triangle'),
  'device.log.push_unknown_token': fixed('device', 'push for unknown token', 'warn', 'triangle'),
  'device.log.aps_environment_missing': fixed('device', 'no aps-environment', 'bad', 'triangle'),
  'device.log.copy_token': fixed('device', 'token lookup', 'info', 'circle'),
  'provisioning.created': fixed('certificate', 'profile created', 'info', 'square'),
  'provisioning.expires': fixed('certificate', 'profile expires', 'warn', 'square'),
  'mdm.checkin.authenticate': fixed('enrollment', 'Authenticate', 'info', 'square'),
  'mdm.checkin.token_update': fixed('enrollment', 'TokenUpdate', 'info', 'square'),
  'mdm.checkin.checkout': fixed('enrollment', 'CheckOut', 'bad', 'square'),
  'device.mdm_profile_installed_at': fixed('enrollment', 'profile installed', 'info', 'square'),
};

/** APNs answers logged as facts of their own (apns.response and the like) go on the push lane. */
function kindOf(e: TimelineEvent): Kind | undefined {
  const known = KINDS[e.fact];
  if (known) return known;
  if (/^apns\.(push_)?(response|result|sent)$/.test(e.fact)) return { lane: 'push', label: pushLabel, tone: pushTone, shape: 'circle', push: 'app' };
  if (/cert/.test(e.fact)) return undefined; // handled as validity
  // Other timed events of other domains: shown, on their own lane, only if the catalog says they are events.
  if (factDefinition(e.fact)?.type === 'time' && !/^case\.|sysdiagnose/.test(e.fact)) {
    return fixed('other', e.fact.split('.').slice(-1)[0].replace(/_/g, ' '), 'info', 'circle');
  }
  return undefined;
}

const CERT_START = /cert.*(not_before|valid_from|issued|start)/;
const CERT_END = /cert.*(not_after|valid_until|valid_to|expir|end)/;

function timeOf(e: TimelineEvent): number {
  return Date.parse(e.at);
}

const zoneless = (e: TimelineEvent) => e.attrs?.zone === 'unknown';

export function timelineModel(report: Report): TimelineModel {
  const events = report.timeline.filter((e) => Number.isFinite(timeOf(e)));
  const named = deviceGroups(report, events);
  const marks = eventMarks(events, named);
  const all = named && severalOnALane(marks) ? named : undefined;
  if (!all) for (const m of marks) delete m.device;
  const groups = all && fewerDevices(all, marks);
  const titles = pushLanes(marks);
  const markers = eventMarkers(events);
  marks.sort((a, b) => a.at - b.at);
  const spans = [...selfHealingSpan(marks), ...certificateSpan(events, marks)];
  const { start, end } = focusWindow(marks, spans, markers);
  const around = marks.some(isFailure) ? 'failures' : 'activity';
  const used = new Set<LaneId>([...marks.map((m) => m.lane), ...spans.map((s) => s.lane)]);
  marks.sort((a, b) => a.at - b.at);
  const lanes = LANES.map((l) => l.id).filter((id) => used.has(id));
  return {
    marks,
    spans,
    markers,
    lanes,
    start,
    end,
    around,
    markersOutside: markers.filter((m) => m.at < start || m.at > end),
    zoneless: marks.some((m) => m.zoneless) || markers.some((m) => m.zoneless),
    titles,
    rows: rowsOf(lanes, marks, spans, groups),
  };
}

/**
 * A server log of many devices drawn on shared lanes reads as one device
 * whose pushes were answered by another's polls: each device gets its own
 * rows (the case's device first), named. Events that name no device (the
 * sysdiagnose's own logs, a certificate) keep one row; on a lane of device
 * events, that row says they name none.
 */
/**
 * Whether some lane holds events of two devices. An MDM server's device beside an app's token (two lanes,
 * likely one phone) is drawn as before.
 */
function severalOnALane(marks: readonly Mark[]): boolean {
  const seen = new Map<LaneId, string>();
  for (const m of marks) {
    if (!m.device) continue;
    const lane = m.push === 'app' ? 'app_push' : m.lane;
    const had = seen.get(lane);
    if (had === undefined) seen.set(lane, m.device);
    else if (had !== m.device) return true;
  }
  return false;
}

/** At most this many devices get rows of their own; a busy server's other devices share one row. */
const DEVICE_ROWS = 4;
const OTHERS = '\u0000others';

/**
 * A server log of hundreds of devices would make a picture nobody scrolls:
 * the case's device and those with failures keep their rows, up to
 * DEVICE_ROWS, and the rest are drawn together on one row that says how many.
 */
function fewerDevices(groups: DeviceGroups, marks: Mark[]): DeviceGroups {
  if (groups.order.length <= DEVICE_ROWS) return groups;
  const failing = new Set(marks.filter(isFailure).map((m) => m.device));
  const rank = (d: string) => (d === groups.subject ? 0 : failing.has(d) ? 1 : 2);
  const kept = [...groups.order].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1)).slice(0, DEVICE_ROWS);
  const keep = new Set(kept);
  const order = groups.order.filter((d) => keep.has(d));
  for (const m of marks) if (m.device && !keep.has(m.device)) m.device = OTHERS;
  const labels = new Map(order.map((d) => [d, groups.labels.get(d)!]));
  labels.set(OTHERS, `${groups.order.length - order.length} other devices`);
  return { ...groups, order: [...order, OTHERS], labels };
}

/** Lanes whose events are some one device's: beside other devices' rows, one that names none says so. */
const DEVICE_LANES = new Set<LaneId>(['push', 'app_push', 'contact', 'command', 'device', 'enrollment']);

function rowsOf(lanes: readonly LaneId[], marks: readonly Mark[], spans: readonly Span[], groups: DeviceGroups | undefined): Row[] {
  if (!groups) return lanes.map((lane) => ({ lane }));
  const rows: Row[] = [];
  for (const lane of lanes) {
    const here = new Set<string | undefined>([...marks, ...spans].filter((x) => x.lane === lane).map((x) => x.device));
    const named = groups.order.filter((d) => here.has(d));
    for (const device of named) rows.push({ lane, device, label: groups.labels.get(device)! });
    if (here.has(undefined)) rows.push(named.length || DEVICE_LANES.has(lane) ? { lane, label: 'no device named' } : { lane });
  }
  return rows;
}

/** Whether a mark or span is drawn on a row. */
export function onRow(row: Row, x: { lane: LaneId; device?: string }): boolean {
  return x.lane === row.lane && x.device === row.device;
}

/**
 * MDM pushes and an app's pushes are different journeys (the MDM server's certificate and topic, the
 * app provider's): when a case holds both, each gets its own lane, named, so a refused app push is not
 * read as the MDM server's. With one kind only, its lane keeps the one title.
 */
function pushLanes(marks: Mark[]): Partial<Record<LaneId, string>> {
  if (!marks.some((m) => m.push === 'mdm') || !marks.some((m) => m.push === 'app')) return {};
  for (const m of marks) if (m.push === 'app') m.lane = 'app_push';
  return { push: 'MDM pushes (APNs answer)', app_push: 'App pushes (APNs answer)' };
}

/** One mark per event of a kind the picture shows. */
function eventMarks(events: readonly TimelineEvent[], groups: DeviceGroups | undefined): Mark[] {
  const marks: Mark[] = [];
  for (const e of events) {
    const k = kindOf(e);
    const device = groups?.of(e);
    if (k)
      marks.push({
        at: timeOf(e),
        iso: e.at,
        lane: k.lane,
        label: k.label(e),
        tone: k.tone(e),
        shape: k.shape,
        ...(zoneless(e) ? { zoneless: true } : {}),
        ...(k.push ? { push: k.push } : {}),
        ...(device ? { device } : {}),
      });
  }
  return marks;
}

/** The vertical lines: when the failures began, when the sysdiagnose was taken. */
function eventMarkers(events: readonly TimelineEvent[]): Marker[] {
  const markers: Marker[] = [];
  const began = events.find((e) => e.fact === 'case.failures_began');
  if (began) markers.push({ at: timeOf(began), label: 'failures began', ...(zoneless(began) ? { zoneless: true } : {}) });
  const sysdiagnose = events.find((e) => e.fact === 'device.sysdiagnose_at');
  if (sysdiagnose) markers.push({ at: timeOf(sysdiagnose), label: 'sysdiagnose', ...(zoneless(sysdiagnose) ? { zoneless: true } : {}) });
  return markers;
}

/**
 * The device counts 25 hours from the first wrong-magic push it noted (MDM.plist keeps that time as
 * PushMagicMismatchDateMarker); without the plist, the first logged rejection is the best estimate.
 * `marks` are in time order.
 */
function selfHealingSpan(marks: readonly Mark[]): Span[] {
  const noted = marks.find((m) => m.label === 'magic mismatch noted') ?? marks.find((m) => m.label === 'wrong magic');
  if (!noted) return [];
  return [
    {
      from: noted.at,
      to: noted.at + SELF_HEALING_MS,
      lane: 'device',
      label: '25 h self-healing window',
      tone: 'warn',
      ...(noted.zoneless ? { zoneless: true } : {}),
      ...(noted.device ? { device: noted.device } : {}),
    },
  ];
}

/** The certificate's validity as a span, with its start and end added to `marks` as marks of their own. */
function certificateSpan(events: readonly TimelineEvent[], marks: Mark[]): Span[] {
  const certStart = events.filter((e) => CERT_START.test(e.fact)).map(timeOf);
  const certEnd = events.filter((e) => CERT_END.test(e.fact)).map(timeOf);
  if (!certStart.length && !certEnd.length) return [];
  const from = certStart.length ? certStart.reduce((a, b) => Math.min(a, b)) : Number.NEGATIVE_INFINITY;
  const to = certEnd.length ? certEnd.reduce((a, b) => Math.max(a, b)) : Number.POSITIVE_INFINITY;
  for (const e of events.filter((x) => CERT_START.test(x.fact)))
    marks.push({ at: timeOf(e), iso: e.at, lane: 'certificate', label: 'valid from', tone: 'info', shape: 'square' });
  for (const e of events.filter((x) => CERT_END.test(x.fact)))
    marks.push({ at: timeOf(e), iso: e.at, lane: 'certificate', label: 'expires', tone: 'warn', shape: 'square' });
  return [{ from, to, lane: 'certificate', label: 'certificate valid', tone: 'ok' }];
}

const HOUR = 3600 * 1000;
/** Failures further apart than this are separate episodes; the picture shows the latest. */
const EPISODE_GAP = 2 * 24 * HOUR;
/** How far before and after the failures events still belong to the story: the device's own 25-hour clock. */
const CONTEXT = 25 * HOUR;

/** What went wrong: a refused push, a device rejecting or losing pushes, a deferred or failed command, a CheckOut. */
function isFailure(m: Mark): boolean {
  return m.lane !== 'certificate' && (m.tone === 'bad' || m.tone === 'warn');
}

/**
 * The axis: the failing pushes and what followed, not the whole history.
 * A profile installed months before (or a certificate's year of validity)
 * would shrink a 25-hour self-healing window to a sliver; events outside
 * the window are named beside their lane instead. The window is the latest
 * episode of failures (with its self-healing span when the device noted a
 * wrong magic then), widened to the events within 25 hours before and
 * after it: the pushes that failed and what the device did next. With no
 * failure at all, the latest episode of pushes and device activity.
 */
function focusWindow(marks: readonly Mark[], spans: readonly Span[], markers: readonly Marker[]): { start: number; end: number } {
  const events = marks.filter((m) => m.lane !== 'certificate');
  const failures = events.filter(isFailure);
  // Nothing failed: the latest pushes, contacts and log events (a profile installed long before is context, not the story).
  const traffic = events.filter((m) => m.lane !== 'enrollment' && m.lane !== 'other');
  const anchors = (failures.length ? failures : traffic.length ? traffic : events).map((m) => m.at).sort((a, b) => a - b);
  if (!anchors.length) {
    const times = [...markers.map((m) => m.at), ...marks.map((m) => m.at)];
    return times.length ? { start: times.reduce((a, b) => Math.min(a, b)), end: times.reduce((a, b) => Math.max(a, b)) } : { start: 0, end: 0 };
  }
  let first = anchors.length - 1;
  while (first > 0 && anchors[first]! - anchors[first - 1]! <= EPISODE_GAP) first--;
  let from = anchors[first]!;
  let to = anchors[anchors.length - 1]!;
  const healing = spans.find((s) => s.lane === 'device');
  if (healing && healing.from >= from - EPISODE_GAP && healing.from <= to) {
    from = Math.min(from, healing.from);
    to = Math.max(to, healing.to);
  }
  const lo = from - Math.max((to - from) / 2, CONTEXT);
  const hi = to + Math.max(to - from, CONTEXT);
  const inside = [...events.map((m) => m.at), ...markers.map((m) => m.at)].filter((t) => t >= lo && t <= hi);
  return { start: Math.min(from, ...inside), end: Math.max(to, ...inside) };
}

/** Timed events the picture would show: marks and vertical markers. */
export function timedEventCount(model: TimelineModel): number {
  return model.marks.length + model.markers.length;
}
