import type { Domain } from '../facts/schema.js';
import type { EvidenceReport, Report, TimelineEvent } from '../report/types.js';

/**
 * Everything the Feedback template shows, computed from the report alone.
 * No value here is typed by hand or guessed: each one is a fact's value, a
 * fact's time, or a fixed sentence.
 */
export interface FeedbackContext {
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
  pushes: PushLine[];
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

/** Events where the device reached the MDM server: what a push is meant to cause. */
export function isDeviceContact(e: TimelineEvent): boolean {
  return (
    e.fact === 'device.log.checkin' ||
    e.fact === 'device.last_polling_attempt' ||
    e.fact === 'device.last_polling_success' ||
    e.fact === 'mdm.command.status' ||
    e.fact === 'mdm.checkin.authenticate' ||
    e.fact === 'mdm.checkin.token_update' ||
    e.fact === 'mdm.checkin.checkout'
  );
}

/** "200", "410 Unregistered", "400 BadDeviceToken": the APNs answer as the log gave it. */
export function apnsResponse(e: TimelineEvent): string {
  const status = e.attrs?.status;
  const reason = e.attrs?.reason;
  if (status && !/^\d{3}$/.test(status)) return `no APNs answer in the log (the server logged "${[status, reason].filter(Boolean).join(' ')}")`;
  const parts = [status, reason].filter((s): s is string => !!s);
  if (parts.length) return parts.join(' ');
  return typeof e.value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(e.value) ? e.value : 'no APNs response in the evidence';
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

function pushLines(report: Report): PushLine[] {
  const timeline = report.timeline;
  const pushes = timeline.filter(isPushEvent);
  return pushes.map((p, i) => {
    const next = pushes[i + 1]?.at;
    const contact = timeline.find((e) => isDeviceContact(e) && e.at >= p.at && (!next || e.at < next));
    return {
      at: p.at,
      response: apnsResponse(p),
      ...(p.attrs?.status ? { status: p.attrs.status } : {}),
      ...(p.attrs?.reason ? { reason: p.attrs.reason } : {}),
      source: p.source,
      after: contact ? `device contact at ${contact.at} (${contact.fact})` : next ? 'no device contact in the evidence before the next push' : 'no device contact in the evidence afterwards',
    };
  });
}

function evidenceLine(e: EvidenceReport): string {
  return `${e.fact} = ${String(e.value)}${e.at && e.at !== String(e.value) ? ` at ${e.at}` : ''} (${e.source})`;
}

const LOGGING_PROFILES = [
  { item: 'Managed Configuration logging profile installed on the device before reproducing', pattern: /managed\s*config|managedconfiguration|\bmcprofile|mobileconfig.*logging/i },
  { item: 'APNS logging profile installed on the device before reproducing', pattern: /\bapns\b|apsd|persistent\s*connection|push/i },
];

const TWO_DAYS_MS = 48 * 3600 * 1000;

function title(report: Report, model: string | undefined): string {
  const who = model ?? 'a managed device';
  const mdm = report.domains.includes('mdm' as Domain);
  if (mdm) return `MDM pushes to ${who} are accepted by APNs but the device never contacts the MDM server`;
  return `Push notifications to ${who} are accepted by APNs but not delivered`;
}

function summary(report: Report, pushes: PushLine[], ruledOut: number, notRuledOut: number): string {
  const parts: string[] = [];
  if (pushes.length) {
    const responses = [...new Set(pushes.filter((p) => p.status && /^\d{3}$/.test(p.status)).map((p) => p.response))];
    const silent = pushes.filter((p) => !p.after.startsWith('device contact')).length;
    parts.push(
      `Between ${pushes[0].at} and ${pushes[pushes.length - 1].at} (UTC) the server sent ${pushes.length} push${pushes.length === 1 ? '' : 'es'} to this device; ${
        responses.length ? `APNs answered ${responses.join(', ')}` : "the server's log does not hold APNs's answers"
      }.`,
      silent === pushes.length
        ? 'The evidence shows no device contact with the MDM server after any of them.'
        : `${silent} of them were followed by no device contact in the evidence.`,
    );
  } else {
    parts.push('The server reports that its pushes to this device are accepted by APNs, but the device does not contact the MDM server.');
  }
  parts.push(
    notRuledOut === 0
      ? `Each of the ${ruledOut} known causes of this was checked against the evidence and ruled out (listed below), so we are asking for help with APNs or the device OS.`
      : `${ruledOut} known cause${ruledOut === 1 ? ' was' : 's were'} ruled out; ${notRuledOut} ${notRuledOut === 1 ? 'is' : 'are'} not yet ruled out (listed below).`,
  );
  return parts.join(' ');
}

export function feedbackContext(report: Report): FeedbackContext {
  const topic = joined(values(report, 'server.topic')) ?? joined(values(report, 'device.topic'));
  const token = joined(values(report, 'server.push_token'));
  const magic = joined(values(report, 'server.push_magic')) ?? joined(values(report, 'device.push_magic'));
  const began = values(report, 'case.failures_began')[0];
  const sysdiagnoseAt = report.device.sysdiagnoseAt;
  const pushes = pushLines(report);
  const deviceEvents = report.timeline
    .filter((e) => !isPushEvent(e) && DEVICE_EVENT_WORDS[e.fact])
    .map((e) => ({ at: e.at, what: DEVICE_EVENT_WORDS[e.fact], source: e.source }));

  const ruledOutCauses = report.causes.filter((c) => c.status === 'ruled_out');
  const ruledOut = ruledOutCauses.map((c) => ({
    title: c.title,
    because: c.because.join(' '),
    evidence: c.evidence.map((e) => ({ line: evidenceLine(e) })),
  }));
  const notRuledOut = report.causes.filter((c) => c.status !== 'ruled_out').map((c) => ({ title: c.title, status: c.status.replace('_', ' ') }));

  const profiles = values(report, 'device.logging_profiles');
  const earliestPush = pushes[0]?.at;
  const checklist: FeedbackContext['checklist'] = [
    { item: 'Push topic used by the server', mark: topic ? 'x' : ' ' },
    { item: 'Push token used by the server', mark: token ? 'x' : ' ', ...(token ? {} : { note: 'the device keeps only its SHA-256; take the token from the server\'s TokenUpdate record' }) },
    { item: 'PushMagic used by the server', mark: magic ? 'x' : ' ' },
    { item: 'Times of failed pushes', mark: pushes.length ? 'x' : ' ', ...(pushes.length ? {} : { note: "add the MDM server's push log" }) },
    {
      item: 'APNs responses to those pushes',
      mark: pushes.some((p) => p.status && /^\d{3}$/.test(p.status)) ? 'x' : ' ',
    },
    {
      item: 'When pushes started failing (not only the latest failure)',
      mark: began ? 'x' : ' ',
      ...(began ? {} : { note: earliestPush ? `the earliest failed push in the evidence is ${earliestPush}; say when failures really began` : 'answer q.case.failures_began' }),
    },
    ...LOGGING_PROFILES.map((p) => ({ item: p.item, mark: (profiles.some((v) => p.pattern.test(v)) ? 'x' : ' ') as 'x' | ' ' })),
    {
      item: 'A sysdiagnose taken after reproducing, within a day or two of the failures starting',
      mark: (sysdiagnoseAt ? 'x' : ' ') as 'x' | ' ',
      ...(sysdiagnoseAt && began && Date.parse(sysdiagnoseAt) - Date.parse(began) > TWO_DAYS_MS
        ? { note: `taken ${sysdiagnoseAt}, more than two days after ${began}: take a fresh one` }
        : {}),
    },
  ];

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
  const udid = joined(values(report, 'device.udid'));
  const serial = joined(values(report, 'device.serial'));
  const failuresBegan = began ?? (earliestPush ? `${earliestPush} (earliest failed push in the evidence; failures may have begun earlier)` : NOT_IN_EVIDENCE);

  const required: RequiredValue[] = [];
  const need = (label: string, v: string | undefined) => {
    for (const value of v ? v.split(' / ') : []) if (!required.some((r) => r.value === value)) required.push({ label, value });
  };
  need('the push topic', topic);
  need('the push token', token);
  need('the PushMagic', magic);
  pushes.forEach((p, i) => {
    need(`the time of push ${i + 1}`, p.at);
    need(`the APNs status of push ${i + 1}`, p.status);
    need(`the APNs reason of push ${i + 1}`, p.reason);
  });
  need('when failures began', began);
  need('the sysdiagnose time', sysdiagnoseAt);
  deviceEvents.forEach((e) => need(`the time of "${e.what}"`, e.at));

  return {
    title: title(report, device.model),
    summary: summary(report, pushes, ruledOut.length, notRuledOut.length),
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
