import type { Domain } from '../facts/schema.js';
import type { EvidenceReport, Report, TimelineEvent } from '../report/types.js';

/**
 * Everything the Feedback template shows, computed from the report alone.
 * No value here is typed by hand or guessed: each one is a fact's value, a
 * fact's time, or a fixed sentence.
 */
export interface FeedbackContext {
  /** An MDM case: PushMagic and the device's MDM values belong in the draft (an app push has neither). */
  mdm: boolean;
  title: string;
  summary: string;
  device: { model: string; os: string; udid?: string; serial?: string; sysdiagnoseAt: string };
  environment: { label: string; value: string }[];
  values: {
    topic: string;
    token: string;
    magic: string;
    /** What the device itself holds, when the sysdiagnose was read. */
    deviceTopic?: string;
    deviceMagic?: string;
    deviceTokenHash?: string;
    serverTokenHash?: string;
  };
  failuresBegan: string;
  /** The failed pushes on record for the device the case is about (a long log: the earliest and the latest). */
  pushes: PushLine[];
  /** How many failed pushes the evidence holds in all, when more than `pushes` lists. */
  morePushes?: number;
  /** What Apple asks for that is not in the evidence yet, each with what to do: the draft's "still to add". */
  stillToAdd: { item: string; note?: string }[];
  deviceEvents: { at: string; what: string; source: string }[];
  ruledOut: { title: string; because: string; evidence: { line: string }[] }[];
  notRuledOut: { title: string; status: string }[];
  checklist: { item: string; mark: 'x' | ' '; note?: string }[];
  missing: string[];
  /** Values the draft must carry verbatim (checked after a model rewrites it). */
  required: RequiredValue[];
}

export interface RequiredValue {
  /** What the value is, in words, for a rejection reason that does not repeat a secret. */
  label: string;
  value: string;
}

export interface PushLine {
  at: string;
  response: string;
  /** The APNs HTTP status and reason as logged, for the verifier. */
  status?: string;
  reason?: string;
  /** The apns-id APNs gave the push, and the device's UDID, where the evidence has them. */
  apnsId?: string;
  udid?: string;
  source: string;
  after: string;
}

export const NOT_IN_EVIDENCE = '(not in the evidence yet)';

/** Distinct values of a fact, in report order. */
function values(report: Report, name: string): string[] {
  return [...new Set(report.facts.filter((f) => f.fact === name).map((f) => String(f.value)))];
}

function joined(vs: string[]): string | undefined {
  return vs.length ? vs.join(' / ') : undefined;
}

/** Timeline events that are the server sending a push (with the APNs answer in attrs) or an APNs answer on its own. */
export function isPushEvent(e: TimelineEvent): boolean {
  return e.fact === 'server.push_sent' || /^apns\.(push_)?(response|result|sent)$/.test(e.fact);
}

const DEVICE_EVENT_WORDS: Record<string, string> = {
  'device.log.magic_rejection': 'mdmd rejected a push: wrong PushMagic',
  'device.log.push_received': 'apsd received a push',
  'device.log.courier_connected': 'apsd connected to an APNs courier',
  'device.log.connection_failure': 'apsd push connection failed',
  'device.log.token_update_skipped': 'mdmd skipped a TokenUpdate',
  'device.log.checkin': 'device contacted the MDM server',
  'device.last_polling_attempt': 'device last polled the MDM server',
  'device.last_polling_success': 'device last polled the MDM server successfully',
  'device.push_magic_mismatch_at': 'device noted a push with the wrong PushMagic (self-healing counts 25 h from here)',
  'device.log.push_ignored': 'apsd ignored a push for a topic it does not listen on',
  'device.log.push_unknown_token': 'apsd received a push for a token it does not know',
  'mdm.checkin.authenticate': 'Authenticate check-in (enrollment)',
  'mdm.checkin.token_update': 'TokenUpdate check-in',
  'mdm.checkin.checkout': 'CheckOut check-in',
};

const UNTIMED = 'time not in the evidence yet';
const ZONE_UNKNOWN = ' (zone unknown)';

/** The device the case is about, by every name the evidence gives it. */
function caseDeviceIds(report: Report): Set<string> {
  const ids = new Set<string>();
  for (const f of report.facts) {
    if (f.fact === 'case.device') {
      ids.add(String(f.value).toUpperCase());
      for (const v of Object.values(f.attrs ?? {})) ids.add(v.toUpperCase());
    }
  }
  return ids;
}

/** Events of other devices in the same server log are not this device's history. */
function ofCaseDevice(e: { attrs?: Record<string, string> }, ids: Set<string>): boolean {
  if (!ids.size) return true;
  const names = ['udid', 'device', 'enrollment_id', 'serial', 'device_id'].map((k) => e.attrs?.[k]).filter((v): v is string => !!v);
  return !names.length || names.some((n) => ids.has(n.toUpperCase()));
}

/** The failed pushes on record (case.failed_push): each with its time, APNs's answer, apns-id and UDID where known. */
function pushLines(report: Report): PushLine[] {
  const failed = report.facts.filter((f) => f.fact === 'case.failed_push');
  failed.sort((a, b) => (a.at && b.at ? (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) : a.at ? -1 : b.at ? 1 : 0));
  return failed.map((f) => {
    const a = f.attrs ?? {};
    const zone = a.zone === 'unknown' ? ' (zone unknown)' : '';
    return {
      at: f.at ? `${f.at}${zone}` : UNTIMED,
      response: String(f.value),
      ...(a.status ? { status: a.status } : {}),
      ...(a.reason ? { reason: a.reason } : {}),
      ...(a.apns_id ? { apnsId: a.apns_id } : {}),
      ...(a.udid ? { udid: a.udid } : {}),
      source: a.push ?? a.response_from ?? f.source,
      after: a.domain === 'apns' ? 'the notification never arrived' : 'no device contact with the MDM server within a minute',
    };
  });
}

function evidenceLine(e: EvidenceReport): string {
  return `${e.fact} = ${String(e.value)}${e.at && e.at !== String(e.value) ? ` at ${e.at}` : ''} (${e.source})`;
}


/** Whether the case is an MDM one: an app push has no MDM server, PushMagic or enrollment to speak of. */
function isMdm(report: Report): boolean {
  return report.domains.includes('mdm' as Domain);
}

function title(report: Report, model: string | undefined): string {
  const mdm = isMdm(report);
  const who = model ?? (mdm ? 'a managed device' : 'a device');
  if (mdm) return `MDM pushes to ${who} are accepted by APNs but the device never contacts the MDM server`;
  return `Push notifications to ${who} are accepted by APNs but not delivered`;
}

function summary(report: Report, pushes: PushLine[], total: number, device: string | undefined, ruledOut: number, notRuledOut: number): string {
  const parts: string[] = [];
  const mdm = isMdm(report);
  const who = device ? `this device (${device})` : 'this device';
  const sender = mdm ? 'the server' : 'the provider';
  const timed = pushes.filter((p) => p.at !== UNTIMED);
  const responses = [...new Set(pushes.map((p) => p.response))];
  const answered = responses.length ? `APNs answered ${responses.join(', ')}` : `${sender}'s log does not hold APNs's answers`;
  // What the device did not do: an MDM device does not check in; an app's notification does not arrive.
  const missed = mdm
    ? total === 1
      ? 'The device did not reach the MDM server within a minute of it.'
      : 'The device did not reach the MDM server within a minute of any of them.'
    : total === 1
      ? 'The notification never arrived on the device.'
      : 'None of the notifications arrived on the device.';
  // A time read off a log that wrote no zone is the server's wall clock: never call it UTC.
  const clock = timed.some((p) => p.at.endsWith(ZONE_UNKNOWN)) ? "(the server log's local time; its zone is not in the evidence)" : '(UTC)';
  const bare = (p: PushLine) => p.at.replace(ZONE_UNKNOWN, '');
  if (timed.length) {
    parts.push(
      timed.length === 1 && total === 1
        ? `At ${bare(timed[0])} ${clock} ${sender} sent a push to ${who}; ${answered}.`
        : `Between ${bare(timed[0])} and ${bare(timed[timed.length - 1])} ${clock} ${sender} sent ${total} push${total === 1 ? '' : 'es'} to ${who} that ${mdm ? 'got no answer' : 'never arrived'}; ${answered}.`,
      missed,
    );
  } else if (pushes.length) {
    parts.push(`${mdm ? "The server's push" : "The provider's push"} to ${who} ${mdm ? 'got no answer' : 'never arrived'}; ${answered}. The time of that push is not in the evidence yet.`);
  } else {
    parts.push(
      mdm
        ? 'The server reports that its pushes to this device are accepted by APNs, but the device does not contact the MDM server.'
        : "The provider reports that APNs accepts its pushes to this device, but the notifications do not arrive.",
    );
  }
  parts.push(
    notRuledOut === 0
      ? `Each of the ${ruledOut} known causes of this was checked against the evidence and ruled out (listed below), so we are asking for help with APNs or the device OS.`
      : `${ruledOut} known cause${ruledOut === 1 ? ' was' : 's were'} ruled out; ${notRuledOut} ${notRuledOut === 1 ? 'is' : 'are'} not yet ruled out (listed below).`,
  );
  return parts.join(' ');
}

export function feedbackContext(report: Report): FeedbackContext {
  const mdm = isMdm(report);
  // An app push goes out on the provider's apns-topic (its certificate's, or the app's bundle id).
  const topic = mdm
    ? (joined(values(report, 'server.topic')) ?? joined(values(report, 'device.topic')))
    : (joined(values(report, 'apns.topic')) ?? joined(values(report, 'cert.topic')) ?? joined(values(report, 'app.bundle_id')));
  const token = joined(values(report, 'server.push_token'));
  const magic = mdm ? (joined(values(report, 'server.push_magic')) ?? joined(values(report, 'device.push_magic'))) : undefined;
  const began = values(report, 'case.failures_began')[0];
  const sysdiagnoseAt = report.device.sysdiagnoseAt;
  const pushes = pushLines(report);
  const ids = caseDeviceIds(report);
  const deviceEvents = report.timeline
    .filter((e) => !isPushEvent(e) && DEVICE_EVENT_WORDS[e.fact] && ofCaseDevice(e, ids))
    .map((e) => ({ at: e.at, what: DEVICE_EVENT_WORDS[e.fact], source: e.source }));

  const ruledOutCauses = report.causes.filter((c) => c.status === 'ruled_out');
  const ruledOut = ruledOutCauses.map((c) => ({
    title: c.title,
    because: c.because.join(' '),
    evidence: c.evidence.map((e) => ({ line: evidenceLine(e) })),
  }));
  const notRuledOut = report.causes.filter((c) => c.status !== 'ruled_out').map((c) => ({ title: c.title, status: c.status.replace('_', ' ') }));

  const profiles = values(report, 'device.logging_profiles');
  const earliestPush = values(report, 'case.failures_seen_from')[0];
  // The checklist is the rules' (rules/escalation.yml), each item ticked by the engine only on proof.
  const checklist: FeedbackContext['checklist'] = (report.filing?.checklist ?? []).map((c) => ({ item: c.item, mark: c.done ? 'x' : ' ', ...(c.done || !c.todo ? {} : { note: c.todo }) }));
  const stillToAdd = checklist.filter((c) => c.mark === ' ').map((c) => ({ item: c.item, ...(c.note ? { note: c.note } : {}) }));

  const environment: FeedbackContext['environment'] = [];
  const env = (label: string, v: string | undefined) => v && environment.push({ label, value: v });
  env('MDM server URL', joined(values(report, 'device.server_url')) ?? joined(values(report, 'profile.server_url')));
  env('MDM check-in URL', joined(values(report, 'device.checkin_url')));
  env(
    'APNs environment',
    joined([...new Set(report.facts.filter((f) => /(^|\.)(aps_)?environment$/.test(f.fact)).map((f) => String(f.value)))]),
  );
  env('Device holds an MDM enrollment', joined(values(report, 'device.mdm_enrolled')));
  env('MDM profile installed at', joined(values(report, 'device.mdm_profile_installed_at')));
  env('Device reaches APNs from its network (answered)', joined(values(report, 'device.network_ok')));
  env('Device reaches the MDM server (answered)', joined(values(report, 'device.mdm_server_reachable')));
  env('Logging profiles installed', joined(profiles) ?? 'none recorded');
  env('Device log lines redacted (<private>)', joined(values(report, 'device.log.redacted')));

  const device = report.device;
  const udid = joined([...new Set([...report.facts.filter((f) => f.fact === 'case.device' && f.attrs?.udid).map((f) => f.attrs!.udid), ...values(report, 'device.udid')])]);
  const serial = joined(values(report, 'device.serial'));
  const earliestZoneLess = report.facts.some((f) => f.fact === 'case.failures_seen_from' && f.attrs?.zone === 'unknown');
  const failuresBegan =
    began ?? (earliestPush ? `${earliestPush}${earliestZoneLess ? ZONE_UNKNOWN : ''} (earliest failed push in the evidence; failures may have begun earlier)` : NOT_IN_EVIDENCE);
  const caseDevice = values(report, 'case.device')[0];
  const total = Number(values(report, 'case.failed_push_count')[0] ?? pushes.length);

  const required: RequiredValue[] = [];
  const need = (label: string, v: string | undefined) => {
    for (const value of v ? v.split(' / ') : []) if (!required.some((r) => r.value === value)) required.push({ label, value });
  };
  need('the push topic', topic);
  need('the push token', token);
  need('the PushMagic', magic);
  pushes.forEach((p, i) => {
    if (p.at !== UNTIMED) need(`the time of push ${i + 1}`, p.at.replace(' (zone unknown)', ''));
    need(`the APNs status of push ${i + 1}`, p.status);
    need(`the APNs reason of push ${i + 1}`, p.reason);
    need(`the apns-id of push ${i + 1}`, p.apnsId);
  });
  need('when failures began', began);
  need('the sysdiagnose time', sysdiagnoseAt);
  deviceEvents.forEach((e) => need(`the time of "${e.what}"`, e.at));

  return {
    mdm,
    title: title(report, device.model),
    summary: summary(report, pushes, total, caseDevice, ruledOut.length, notRuledOut.length),
    device: {
      model: device.model ?? NOT_IN_EVIDENCE,
      os: [device.platform, device.osVersion, device.osBuild && `(${device.osBuild})`].filter(Boolean).join(' ') || NOT_IN_EVIDENCE,
      ...(udid ? { udid } : {}),
      ...(serial ? { serial } : {}),
      sysdiagnoseAt: sysdiagnoseAt ?? NOT_IN_EVIDENCE,
    },
    environment,
    values: {
      topic: topic ?? NOT_IN_EVIDENCE,
      token: token ?? NOT_IN_EVIDENCE,
      magic: magic ?? NOT_IN_EVIDENCE,
      ...optional('deviceTopic', joined(values(report, 'device.topic'))),
      ...optional('deviceMagic', joined(values(report, 'device.push_magic'))),
      ...optional('deviceTokenHash', joined(values(report, 'device.push_token_hash'))),
      ...optional('serverTokenHash', joined(values(report, 'server.push_token_sha256'))),
    },
    failuresBegan,
    pushes,
    ...(total > pushes.length ? { morePushes: total - pushes.length } : {}),
    stillToAdd,
    deviceEvents,
    ruledOut,
    notRuledOut,
    checklist,
    missing: checklist.filter((c) => c.mark === ' ').map((c) => c.item),
    required,
  };
}

function optional<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v ? { [key]: v } : {}) as { [P in K]?: string };
}
