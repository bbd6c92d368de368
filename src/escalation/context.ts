import type { Domain } from '../facts/schema.js';
import { PLATFORMS } from '../report/render/words.js';
import type { Report } from '../report/types.js';
import { isPushEvent, pushLines, type PushLine } from './pushes.js';
import { caseDeviceIds, factsOf, joined, ofCaseDevice, thisDevicesEvidence, values } from './reportFacts.js';
import { DEVICE_EVENT_WORDS, DraftWords, forApple, LOGGING_PROFILE_WORDS } from './words.js';

export type { PushLine } from './pushes.js';

/**
 * Everything the Feedback template shows, computed from the report alone.
 * No value here is typed by hand or guessed: each one is a fact's value, a
 * fact's time, or a fixed sentence. Everything is in words Apple's reader
 * understands (see words.ts); the values themselves are whole.
 */
export interface FeedbackContext {
  /** An MDM case: PushMagic and the device's MDM values belong in the draft (an app push has neither). */
  mdm: boolean;
  title: string;
  summary: string;
  device: { model: string; os: string; udid?: string; serial?: string; sysdiagnoseAt: string };
  /** The files and pastes the case was diagnosed from, each archive once. */
  inputs?: string;
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
  /** Each failed push's values that must stay on the line with its time (a rewrite must not trade them between pushes). */
  linked: LinkedValues[];
}

export interface LinkedValues {
  /** The push's time as the draft writes it: the line the values belong on. */
  anchor: string;
  values: RequiredValue[];
}

export interface RequiredValue {
  /** What the value is, in words, for a rejection reason that does not repeat a secret. */
  label: string;
  value: string;
}

const NOT_IN_EVIDENCE = '(not in the evidence yet)';

/** Whether the case is an MDM one: an app push has no MDM server, PushMagic or enrollment to speak of. */
function isMdm(report: Report): boolean {
  return filed(report, 'mdm' as Domain);
}

/** Whether the filing is about this kind of push: an MDM push that arrived beside an app's failing ones is not. */
function filed(report: Report, d: Domain): boolean {
  return report.domains.includes(d) && !report.filing?.heldBack?.includes(d);
}

/** A push APNs accepted (2xx); a push whose answer is not on record counts as neither. */
const acceptedPush = (p: PushLine) => /^2\d\d$/.test(p.status ?? p.response);

/** What APNs answered the failed pushes, in the title's words: never "accepted" for a push APNs refused. */
function title(report: Report, model: string | undefined, pushes: readonly PushLine[]): string {
  const mdm = isMdm(report);
  const who = model ?? (mdm ? 'a managed device' : 'a device');
  const refused = [...new Set(pushes.filter((p) => !acceptedPush(p)).map((p) => p.response))];
  const accepted = !refused.length || pushes.some(acceptedPush);
  const answered = !refused.length
    ? 'are accepted by APNs but'
    : accepted
      ? `are accepted by APNs or refused (${refused.join(', ')}), and`
      : `are refused by APNs (${refused.join(', ')}), and`;
  if (mdm) return `MDM pushes to ${who} ${answered} the device never contacts the MDM server`;
  if (!accepted) return `Push notifications to ${who} are refused by APNs (${refused.join(', ')})`;
  return `Push notifications to ${who} ${answered} not delivered`;
}

function summary(report: Report, pushes: PushLine[], total: number, device: string | undefined, ruledOut: number, notRuledOut: number): string {
  const parts: string[] = [];
  const mdm = isMdm(report);
  const who = device ? `this device (${device})` : 'this device';
  const sender = mdm ? 'the server' : 'the provider';
  const timed = pushes.filter((p) => p.timed);
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
  // A time read off a log that wrote no zone is the server's wall clock: never call it UTC, and say so once.
  const zoneLess = timed.some((p) => p.zoneLess);
  const when = (p: PushLine) => (zoneLess ? (p.bareAt ?? p.at) : p.at);
  const clock = zoneLess ? ` (${mdm ? "the server log's" : "the provider log's"} local time; its zone is not in the evidence)` : '';
  // Times from a log without a zone beside zoned ones cannot be ordered against each other: each is given with its
  // own clock, and no span is claimed between them.
  const mixed = zoneLess && timed.some((p) => !p.zoneLess);
  if (mixed) {
    parts.push(
      `${sender === 'the server' ? 'The server' : 'The provider'} sent ${total} push${total === 1 ? '' : 'es'} to ${who} that ${mdm ? 'got no answer' : 'never arrived'}, at ${timed.map((p) => p.at).join(', ')} (from logs with and without a time zone, whose times cannot be ordered against each other); ${answered}.`,
      missed,
    );
  } else if (timed.length) {
    parts.push(
      timed.length === 1 && total === 1
        ? `At ${when(timed[0]!)}${clock} ${sender} sent a push to ${who}; ${answered}.`
        : `Between ${when(timed[0]!)} and ${when(timed[timed.length - 1]!)}${clock} ${sender} sent ${total} push${total === 1 ? '' : 'es'} to ${who} that ${mdm ? 'got no answer' : 'never arrived'}; ${answered}.`,
      missed,
    );
  } else if (pushes.length) {
    parts.push(
      `${mdm ? "The server's push" : "The provider's push"} to ${who} ${mdm ? 'got no answer' : 'never arrived'}; ${answered}. The time of that push is not in the evidence yet.`,
    );
  } else {
    parts.push(
      mdm
        ? 'The server reports that its pushes to this device are accepted by APNs, but the device does not contact the MDM server.'
        : 'The provider reports that APNs accepts its pushes to this device, but the notifications do not arrive.',
    );
  }
  parts.push(
    notRuledOut === 0
      ? `Each of the ${ruledOut} known causes of this was checked against the evidence and ruled out (listed below), so we are asking for help with APNs or the device OS.`
      : `${ruledOut} known cause${ruledOut === 1 ? ' was' : 's were'} ruled out; ${notRuledOut} ${notRuledOut === 1 ? 'is' : 'are'} not yet ruled out (listed below).`,
  );
  return parts.join(' ');
}

/** A fact's values in words (yes/no, times with their zone), distinct, in report order. */
function valuesInWords(report: Report, words: DraftWords, ...names: string[]): string | undefined {
  return joined([...new Set(names.flatMap((n) => factsOf(report, n)).map((f) => words.value(f)))]);
}

/** The logging profiles on the device, by Apple's names, each with when it was installed. */
function loggingProfiles(report: Report, words: DraftWords): string | undefined {
  const shown = factsOf(report, 'device.logging_profiles').map((f) => {
    const name = LOGGING_PROFILE_WORDS[String(f.value)] ?? String(f.value);
    return f.at ? `${name} (installed ${words.time(f.at, f.attrs?.zone)})` : name;
  });
  return shown.length ? [...new Set(shown)].join('; ') : undefined;
}

function environmentOf(report: Report, words: DraftWords): FeedbackContext['environment'] {
  const environment: FeedbackContext['environment'] = [];
  const env = (label: string, v: string | undefined) => v && environment.push({ label, value: v });
  env('MDM server URL', valuesInWords(report, words, 'device.server_url') ?? valuesInWords(report, words, 'profile.server_url'));
  env('MDM check-in URL', valuesInWords(report, words, 'device.checkin_url'));
  env('APNs environment', joined([...new Set(report.facts.filter((f) => /(^|\.)(aps_)?environment$/.test(f.fact)).map((f) => String(f.value)))]));
  if (isMdm(report)) env('Device holds an MDM enrollment', valuesInWords(report, words, 'device.mdm_enrolled'));
  env('MDM profile installed', valuesInWords(report, words, 'device.mdm_profile_installed_at'));
  env('Device reaches APNs from its network (as the support engineer answered)', valuesInWords(report, words, 'device.network_ok'));
  env('Device reaches the MDM server (as the support engineer answered)', valuesInWords(report, words, 'device.mdm_server_reachable'));
  env('Logging profiles installed', loggingProfiles(report, words) ?? 'none recorded');
  env('Device log lines redacted (<private>)', valuesInWords(report, words, 'device.log.redacted'));
  return environment;
}

/** A secret fact's distinct values as Apple sees them (whole: Apple asks for them). */
function secretValues(report: Report, kind: Parameters<typeof forApple>[1], ...names: string[]): string | undefined {
  for (const n of names) {
    const vs = values(report, n);
    if (vs.length) return joined(vs.map((v) => forApple(v, kind)));
  }
  return undefined;
}

export function feedbackContext(report: Report): FeedbackContext {
  const words = new DraftWords(report);
  const mdm = isMdm(report);
  // An app push goes out on the provider's apns-topic (its certificate's, or the app's bundle id).
  const topic = mdm
    ? (joined(values(report, 'server.topic')) ?? joined(values(report, 'device.topic')))
    : (joined(values(report, 'apns.topic')) ?? joined(values(report, 'cert.topic')) ?? joined(values(report, 'app.bundle_id')));
  // An app's failed pushes name the device token they went to in the provider's log.
  const token = secretValues(report, 'token', 'server.push_token') ?? (mdm ? undefined : secretValues(report, 'token', 'case.failed_push_token'));
  const magic = mdm ? secretValues(report, 'magic', 'server.push_magic', 'device.push_magic') : undefined;
  const pushes = pushLines(report, words);
  const ids = caseDeviceIds(report);
  const deviceEvents = deviceEventLines(report, words, ids, !report.filing?.heldBack?.includes('mdm' as Domain));
  const causes = report.causes.filter((c) => !report.filing?.heldBack?.includes(c.domain));
  const ruledOut = causes
    .filter((c) => c.status === 'ruled_out')
    .map((c) => ({
      title: c.title,
      because: c.because.map((b) => words.sentence(b)).join(' '),
      evidence: words.evidence(thisDevicesEvidence(c.evidence, ids)).map((line) => ({ line })),
    }));
  const notRuledOut = causes.filter((c) => c.status !== 'ruled_out').map((c) => ({ title: c.title, status: c.status.replace('_', ' ') }));
  const checklist = checklistOf(report, words);
  const stillToAdd = checklist.filter((c) => c.mark === ' ').map((c) => ({ item: c.item, ...(c.note ? { note: c.note } : {}) }));

  const device = report.device;
  // The device the MDM server's log is about is not known to be the app's when that MDM push is held back (it arrived).
  const mdmDevice = report.filing?.heldBack?.includes('mdm' as Domain) ? [] : factsOf(report, 'case.device');
  // Once the case names its device, a UDID the evidence holds is another device's unless it is one of its names.
  const named = mdmDevice.length ? caseDeviceIds(report) : undefined;
  const udid = joined(
    [
      ...new Set([
        ...mdmDevice.flatMap((f) => (f.attrs?.udid ? [f.attrs.udid] : [])),
        ...values(report, 'device.udid').filter((v) => !named || named.has(v.toUpperCase())),
      ]),
    ].map((v) => forApple(v, 'udid')),
  );
  const sysdiagnose = factsOf(report, 'device.sysdiagnose_at')[0];
  const sysdiagnoseAt = device.sysdiagnoseAt ? words.time(device.sysdiagnoseAt, sysdiagnose?.attrs?.zone) : undefined;
  const began = factsOf(report, 'case.failures_began')[0];
  const caseDevice = mdmDevice.length ? values(report, 'case.device')[0] : undefined;
  const total = Number(values(report, 'case.failed_push_count')[0] ?? pushes.length);

  const required = requiredValues([
    ['the push topic', topic],
    ['the push token', token],
    ['the PushMagic', magic],
    ["the device's UDID", udid],
    ...pushes.flatMap((p, i): Labelled[] => [
      [`the time of push ${i + 1}`, p.requiredAt],
      [`the APNs status of push ${i + 1}`, p.status],
      [`the APNs reason of push ${i + 1}`, p.reason],
      [`the apns-id of push ${i + 1}`, p.apnsId],
    ]),
    ['when failures began', began ? words.requiredTime(String(began.value), began.attrs?.zone) : undefined],
    ['the sysdiagnose time', device.sysdiagnoseAt ? words.requiredTime(device.sysdiagnoseAt, sysdiagnose?.attrs?.zone) : undefined],
    ...deviceEvents.map((e): Labelled => [`the time of "${e.what}"`, e.required]),
  ]);

  const linked = pushes.flatMap((p, i): LinkedValues[] =>
    p.requiredAt
      ? [
          {
            anchor: p.requiredAt,
            values: requiredValues([
              [`the APNs status of push ${i + 1}`, p.status],
              [`the APNs reason of push ${i + 1}`, p.reason],
              [`the apns-id of push ${i + 1}`, p.apnsId],
            ]),
          },
        ]
      : [],
  );

  const inputs = words.inputs();
  return {
    mdm,
    title: title(report, device.model, pushes),
    summary: summary(report, pushes, total, caseDevice, ruledOut.length, notRuledOut.length),
    device: deviceBlock(report, udid, sysdiagnoseAt),
    ...(inputs ? { inputs } : {}),
    environment: environmentOf(report, words),
    values: {
      topic: topic ?? NOT_IN_EVIDENCE,
      token: token ?? NOT_IN_EVIDENCE,
      magic: magic ?? NOT_IN_EVIDENCE,
      ...deviceSideValues(report),
    },
    failuresBegan: failuresBegan(report, words),
    pushes,
    ...(total > pushes.length ? { morePushes: total - pushes.length } : {}),
    stillToAdd,
    deviceEvents: deviceEvents.map(({ at, what, source }) => ({ at, what, source })),
    ruledOut,
    notRuledOut,
    checklist,
    missing: checklist.filter((c) => c.mark === ' ').map((c) => c.item),
    required,
    linked,
  };
}

/** The device as Apple's form asks for it: model, OS, identifiers and when the sysdiagnose was taken. */
function deviceBlock(report: Report, udid: string | undefined, sysdiagnoseAt: string | undefined): FeedbackContext['device'] {
  const device = report.device;
  const serial = secretValues(report, 'serial', 'device.serial');
  const platform = device.platform && (PLATFORMS[device.platform.toLowerCase()] ?? device.platform);
  return {
    model: device.model ?? NOT_IN_EVIDENCE,
    os: [platform, device.osVersion, device.osBuild && `(build ${device.osBuild})`].filter(Boolean).join(' ') || NOT_IN_EVIDENCE,
    ...(udid ? { udid } : {}),
    ...(serial ? { serial } : {}),
    sysdiagnoseAt: sysdiagnoseAt ?? NOT_IN_EVIDENCE,
  };
}

/** What the device itself holds, beside the server's values, where the evidence has it. */
function deviceSideValues(report: Report) {
  return {
    ...optional('deviceTopic', joined(values(report, 'device.topic'))),
    ...optional('deviceMagic', secretValues(report, 'magic', 'device.push_magic')),
    ...optional('deviceTokenHash', secretValues(report, 'token', 'device.push_token_hash')),
    ...optional('serverTokenHash', secretValues(report, 'token', 'server.push_token_sha256')),
  };
}

/** The events on the case's device that Apple asks the times of (not the pushes: they have their own list). */
/** Without the MDM side (an app filing beside an MDM push that arrived), the MDM server's check-ins are left out. */
function deviceEventLines(report: Report, words: DraftWords, ids: ReturnType<typeof caseDeviceIds>, withServer: boolean) {
  return report.timeline
    .filter((e) => !isPushEvent(e) && DEVICE_EVENT_WORDS[e.fact] && ofCaseDevice(e, ids) && (withServer || !e.fact.startsWith('mdm.')))
    .map((e) => {
      const fact = report.facts.find((f) => f.fact === e.fact && f.at === e.at && f.source === e.source);
      return {
        at: words.time(e.at, e.attrs?.zone),
        required: words.requiredTime(e.at, e.attrs?.zone),
        what: DEVICE_EVENT_WORDS[e.fact]!,
        source: fact ? words.origin(fact.origin) : words.where(e.source),
      };
    });
}

/** The checklist is the rules' (rules/escalation.yml), each item ticked by the engine only on proof. */
function checklistOf(report: Report, words: DraftWords): FeedbackContext['checklist'] {
  return (report.filing?.checklist ?? []).map((c) => {
    const note = c.done || !c.todo ? '' : words.sentence(c.todo);
    return { item: c.item, mark: c.done ? 'x' : ' ', ...(note ? { note } : {}) };
  });
}

/** When failures began: as stated, or the earliest failed push on record, said to be the earliest seen. */
function failuresBegan(report: Report, words: DraftWords): string {
  const began = factsOf(report, 'case.failures_began')[0];
  if (began) return words.value(began);
  const earliest = factsOf(report, 'case.failures_seen_from')[0];
  if (!earliest) return NOT_IN_EVIDENCE;
  // A push logged without a zone that cannot be ordered against it may be the earlier one.
  if (earliest.attrs?.order === 'unknown')
    return `${words.value(earliest)} or ${earliest.attrs.rival} (failed pushes from logs whose times cannot be ordered against each other; failures may have begun earlier)`;
  return `${words.value(earliest)} (the earliest failed push in the evidence; failures may have begun earlier)`;
}

type Labelled = [label: string, value: string | undefined];

/** Each value the draft must show (one per " / "-joined part), once, under the first label that asks for it. */
function requiredValues(wanted: Labelled[]): RequiredValue[] {
  const required: RequiredValue[] = [];
  for (const [label, v] of wanted) for (const value of v ? v.split(' / ') : []) if (!required.some((r) => r.value === value)) required.push({ label, value });
  return required;
}

function optional<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v ? { [key]: v } : {}) as { [P in K]?: string };
}
