import { describe, expect, it } from 'vitest';
import { CASES } from './support/cases.js';
import { argvOf, byId, diagnose, diagnoseText, noteOf, questionIds, statusOf, type Report } from './support/run.js';
import { UDID_A, UDID_B, UDID_C } from './support/values.js';

/**
 * The battery: each support case, run through `pushcheck diagnose` the way an
 * engineer runs it, judged the way a demanding support engineer reads the
 * report. A row says which step of the troubleshooting it checks and what
 * the report must conclude: the status of the causes that matter, whether
 * the case goes to Apple, which notes and questions it must (and must not)
 * carry. Statuses come from the seeds (000 MDM, 001 TN2265, 002 NotNow,
 * 003 Secure Mail); nothing here pins wording, only the JSON contract.
 */

type Status = 'confirmed' | 'likely' | 'open' | 'ruled_out';
type Filing = 'ready' | 'no_failed_push' | 'causes_open' | 'push_answered' | 'not_for_apple';

interface Verdict {
  /** The case in test/cases/support/cases.ts. */
  case: string;
  /** The troubleshooting step the row checks. */
  step: string;
  /** More answers, as the engineer would give them after reading the first report. */
  answers?: string[];
  domains: string[];
  causes: Record<string, Status>;
  /** Causes that must not be confirmed (a weak or masked value, a stale line). */
  notConfirmed?: string[];
  filing: Filing;
  notes?: string[];
  noNotes?: string[];
  /** Note id → words it must carry (a device, a time). */
  noteSays?: Record<string, string[]>;
  firstQuestion?: string;
  asks?: string[];
  neverAsks?: string[];
  /** Problem codes the inputs raise; none unless listed (every file here is one pushcheck reads). */
  problems?: string[];
}

const MDM_PUSH_CAUSES = ['mdm.network', 'mdm.unenrolled', 'mdm.wiped', 'mdm.wrong_topic', 'mdm.wrong_token', 'mdm.wrong_magic', 'mdm.certificate_expired'];
const allRuledOut = (ids: string[]): Record<string, Status> => Object.fromEntries(ids.map((id) => [id, 'ruled_out']));

const VERDICTS: Verdict[] = [
  // ------------------------------------------------------------ healthy round trips
  {
    case: 'healthy-mdm-round-trip',
    step: 'a push the device answered a second later: the push path works, nothing for Apple, no NotNow domain opened by Idle/Acknowledged',
    domains: ['mdm'],
    causes: allRuledOut(MDM_PUSH_CAUSES),
    filing: 'push_answered',
    notes: ['mdm.note.push_answered', 'mdm.note.device_answers_commands'],
    noteSays: { 'mdm.note.push_answered': [UDID_A, '2024-05-07T08:00:04.000Z (zone unknown)'] },
    noNotes: ['mdm.note.redacted_logs', 'case.note.zone_less_times'],
    neverAsks: ['q.case.log_time_zone', 'q.mdm.push_status'],
  },
  {
    case: 'healthy-app-push',
    step: "APNs's 200 and apsd receiving the app's topic right after it: delivered, not a failed push, and an app push opens no MDM domain",
    domains: ['apns'],
    causes: {
      'apns.no_connection': 'ruled_out',
      'apns.certificate_expired': 'ruled_out',
      'apns.missing_entitlement': 'ruled_out',
      'apns.environment_mismatch': 'ruled_out',
    },
    filing: 'causes_open',
    notes: ['apns.note.reached_device'],
    noNotes: ['apns.note.look_up_apns_id', 'mdm.note.redacted_logs'],
    neverAsks: ['q.mdm.enrolled', 'q.mdm.push_status'],
  },
  {
    case: 'healthy-app-push-everything-checked',
    step: 'every app cause ruled out, but the push arrived: no Feedback draft for a delivered push',
    domains: ['apns'],
    causes: { 'apns.coalesced': 'ruled_out', 'apns.firewall': 'ruled_out', 'apns.stale_provisioning_profile': 'ruled_out' },
    filing: 'push_answered',
    notes: ['apns.note.reached_device'],
  },
  // ------------------------------------------------------------ seed 000 causes
  {
    case: 'wrong-topic-certificate-replaced',
    step: "Fleet's JSON log (devices by host_uuid) and a certificate whose topic is not the one the iPhone listens on: replaced instead of renewed",
    domains: ['mdm'],
    causes: { 'mdm.wrong_topic': 'confirmed', 'mdm.certificate_expired': 'ruled_out', 'mdm.unenrolled': 'ruled_out' },
    filing: 'causes_open',
  },
  {
    case: 'wrong-topic-checkin-vs-certificate',
    step: "the stored TokenUpdate's topic (what the device enrolled with) against the certificate's topic (what the server pushes on)",
    domains: ['mdm'],
    causes: { 'mdm.wrong_topic': 'confirmed' },
    filing: 'causes_open',
  },
  {
    case: 'wrong-token-after-restore',
    step: "after a restore the device's LastPushTokenHash is not the hash of the token the server holds",
    domains: ['mdm'],
    causes: { 'mdm.wrong_token': 'confirmed', 'mdm.wrong_topic': 'ruled_out', 'mdm.wrong_magic': 'ruled_out', 'mdm.certificate_expired': 'ruled_out' },
    filing: 'causes_open',
    // The server log holds another iPhone's poll: which device is this about?
    firstQuestion: 'q.case.device',
    neverAsks: ['q.mdm.push_status'],
  },
  {
    case: 'wrong-magic-inside-window',
    step: "mdmd rejects the server's PushMagic, still inside the 25 hours: confirmed, with the concrete re-check time; a push that reached mdmd proves topic and token",
    domains: ['mdm'],
    causes: {
      'mdm.wrong_magic': 'confirmed',
      'mdm.wrong_topic': 'ruled_out',
      'mdm.wrong_token': 'ruled_out',
      'mdm.certificate_expired': 'ruled_out',
      'mdm.server_network': 'ruled_out',
      'mdm.unenrolled': 'ruled_out',
    },
    filing: 'causes_open',
    notes: ['mdm.note.magic_recheck_from'],
    // First rejection (MDM.plist's marker) 2024-05-07T08:00:04Z + 25 h.
    noteSays: { 'mdm.note.magic_recheck_from': ['2024-05-08T09:00:04.000Z'] },
    // A payload shown as <private> hides nothing pushcheck reads.
    noNotes: ['mdm.note.redacted_logs'],
    neverAsks: ['q.mdm.push_status', 'q.mdm.network_ok', 'q.mdm.device_topic', 'q.mdm.enrolled'],
  },
  {
    case: 'wrong-magic-healed',
    step: 'rejections, then 25.5 h later a TokenUpdate and answered pushes: was wrong, healed (with when), not confirmed',
    domains: ['mdm'],
    causes: { 'mdm.wrong_magic': 'ruled_out' },
    filing: 'push_answered',
    notes: ['mdm.note.wrong_magic_healed', 'mdm.note.push_answered'],
    noteSays: { 'mdm.note.wrong_magic_healed': ['2024-05-06T08:00:04.201Z', '2024-05-07T09:30:05.000Z'] },
  },
  {
    case: 'unenrolled-lost-checkout',
    step: 'APNs answers 410 to the MDM push and the sysdiagnose holds no MDM profile: the MDM causes, never a removed app',
    domains: ['mdm'],
    causes: { 'mdm.unenrolled': 'likely', 'mdm.wiped': 'likely', 'mdm.wrong_token': 'likely', 'mdm.certificate_expired': 'ruled_out' },
    filing: 'causes_open',
    firstQuestion: 'q.mdm.enrolled',
  },
  {
    case: 'checkout-received',
    step: 'the server holds the CheckOut and keeps pushing: the device left MDM, and nobody is asked whether the profile is still installed',
    domains: ['mdm'],
    causes: { 'mdm.unenrolled': 'confirmed', 'mdm.certificate_expired': 'ruled_out' },
    filing: 'causes_open',
    neverAsks: ['q.mdm.enrolled'],
  },
  {
    case: 'old-410-superseded-by-re-enrollment',
    step: "last week's 410s, then a re-enrollment: the old answers do not make today's unanswered pushes an unenrollment",
    domains: ['mdm'],
    causes: { 'mdm.unenrolled': 'ruled_out', 'mdm.wiped': 'ruled_out', 'mdm.wrong_token': 'ruled_out', 'mdm.wrong_topic': 'ruled_out' },
    filing: 'causes_open',
    neverAsks: ['q.mdm.enrolled', 'q.case.device'],
  },
  {
    case: 'stale-rejection-then-polls',
    step: "a week-old wrong-magic rejection, the server's PushMagic now the device's, and a poll since: the rejection confirms nothing, and says nothing about topic or token now",
    domains: ['mdm'],
    causes: { 'mdm.wrong_magic': 'ruled_out', 'mdm.wrong_token': 'open', 'mdm.certificate_expired': 'open' },
    filing: 'causes_open',
    noNotes: ['mdm.note.magic_recheck_from'],
  },
  {
    case: 'stale-rejection-before-failing-push',
    step: "today's unanswered push is not explained by last week's rejection once the server holds the device's PushMagic",
    domains: ['mdm'],
    causes: { 'mdm.wrong_magic': 'ruled_out', 'mdm.wrong_token': 'open', 'mdm.network': 'open' },
    filing: 'causes_open',
  },
  {
    case: 'topic-superseded-by-re-enrollment',
    step: "an old TokenUpdate's topic, superseded by the re-enrollment's: no wrong topic",
    domains: ['mdm'],
    causes: { 'mdm.wrong_topic': 'ruled_out', 'mdm.wrong_token': 'ruled_out', 'mdm.wrong_magic': 'ruled_out' },
    filing: 'causes_open',
  },
  {
    case: 'mdm-410-device-still-answers-commands',
    // The 410 push is the failure; its time has no zone, so the device's commands (09:15 UTC) cannot be placed
    // after it: that the device is still enrolled is not shown until the server log's zone is said (a later
    // contact then rules both out, test/verdicts/refusedPushFailure.test.ts).
    step: 'APNs says 410 and the device processed commands at a time the zone-less push cannot be ordered against: a stale token or a lost enrollment, not yet told apart',
    domains: ['mdm'],
    causes: { 'mdm.wrong_token': 'likely', 'mdm.unenrolled': 'likely', 'mdm.wiped': 'likely' },
    filing: 'causes_open',
    // The device's log and its command answers: one note saying both (mdm.note.push_path_worked before they were merged).
    notes: ['case.note.zone_less_times', 'mdm.note.device_answers_commands_and_log'],
    noNotes: ['mdm.note.push_path_worked', 'mdm.note.device_answers_commands'],
  },
  {
    case: 'mdm-topic-disallowed',
    step: 'TopicDisallowed from an MDM server points at the MDM topic and certificate, not at an app',
    domains: ['mdm'],
    causes: { 'mdm.wrong_topic': 'likely', 'mdm.certificate_expired': 'ruled_out' },
    filing: 'causes_open',
  },
  {
    case: 'mdm-certificate-expired',
    step: 'TLS internal errors and a certificate past its date: the MDM push certificate expired',
    domains: ['mdm'],
    causes: { 'mdm.certificate_expired': 'confirmed', 'mdm.server_network': 'ruled_out' },
    filing: 'causes_open',
  },
  {
    case: 'micromdm-no-push-info',
    step: 'MicroMDM holds no PushInfo for the device: a cause of its own, and nothing to ask about a token the server does not have',
    domains: ['mdm'],
    causes: { 'mdm.no_push_info': 'confirmed' },
    filing: 'causes_open',
    neverAsks: ['q.mdm.server_token', 'q.mdm.server_magic', 'q.mdm.push_status'],
  },
  {
    case: 'mdm-server-api-500',
    step: "the MDM server's own 500 for a push it could not make is no APNs answer",
    domains: ['mdm'],
    causes: { 'mdm.no_push_info': 'confirmed' },
    notConfirmed: ['mdm.server_network', 'mdm.certificate_expired'],
    filing: 'causes_open',
  },
  {
    case: 'enrollment-race',
    step: 'a push 0.3 s after the TokenUpdate, never retried, in a log with another device: which device first',
    domains: ['mdm'],
    causes: {},
    filing: 'causes_open',
    firstQuestion: 'q.case.device',
  },
  {
    case: 'enrollment-race',
    step: 'named, the push 0.3 s after its TokenUpdate that was never retried is at most a likely race',
    answers: [`q.case.device=${UDID_A}`],
    domains: ['mdm'],
    causes: { 'mdm.enrollment_race': 'likely' },
    filing: 'causes_open',
    neverAsks: ['q.mdm.push_soon_after_enrollment'],
  },
  {
    case: 'device-dns-failure',
    step: "apsd cannot resolve the courier on the device's Wi-Fi: the device's network, for the MDM case",
    domains: ['mdm'],
    causes: { 'mdm.network': 'likely', 'mdm.server_network': 'ruled_out' },
    filing: 'causes_open',
  },
  // ------------------------------------------------------------ the case goes to Apple, or does not
  {
    case: 'all-match-failed-push-logged',
    step: 'every cause ruled out and two logged pushes the device never answered: the Feedback draft',
    domains: ['mdm'],
    causes: allRuledOut([...MDM_PUSH_CAUSES, 'mdm.server_network', 'mdm.no_push_info', 'mdm.enrollment_race']),
    filing: 'ready',
  },
  {
    case: 'all-match-failed-push-zone-less',
    step: "a draft from pushes logged in the server's local time: ready, with the zone still to add",
    domains: ['mdm'],
    causes: allRuledOut([...MDM_PUSH_CAUSES, 'mdm.server_network']),
    filing: 'ready',
  },
  {
    case: 'all-match-no-failed-push',
    step: 'every cause ruled out but no push to this device on record: no draft, what to collect instead',
    domains: ['mdm'],
    causes: allRuledOut(MDM_PUSH_CAUSES),
    filing: 'no_failed_push',
    notes: ['case.note.collect_before_filing'],
  },
  {
    case: 'all-match-no-server-log',
    step: "no server log at all: the server-network cause stays open and APNs's answer is asked for",
    domains: ['mdm'],
    causes: { 'mdm.server_network': 'open', 'mdm.wrong_topic': 'ruled_out', 'mdm.wrong_token': 'ruled_out', 'mdm.wrong_magic': 'ruled_out' },
    filing: 'causes_open',
    firstQuestion: 'q.mdm.push_status',
  },
  {
    case: 'polled-right-after-push',
    step: "MDM.plist's LastPollingSuccess two seconds after the logged push: answered, nothing for Apple",
    domains: ['mdm'],
    causes: allRuledOut(MDM_PUSH_CAUSES),
    filing: 'push_answered',
    notes: ['mdm.note.push_answered'],
  },
  {
    case: 'app-all-match-failed-push',
    step: 'every app cause ruled out and an accepted push that never arrived: the app Feedback draft',
    domains: ['apns'],
    causes: { 'apns.no_connection': 'ruled_out', 'apns.firewall': 'ruled_out', 'apns.coalesced': 'ruled_out', 'apns.certificate_expired': 'ruled_out' },
    filing: 'ready',
    notes: ['apns.note.look_up_apns_id'],
  },
  {
    case: 'app-accepted-push-app-maybe-removed',
    step: "APNs's 200 for a push that never showed is no proof the app is installed (TN2265, feedback service): ask, do not file with Apple",
    domains: ['apns'],
    causes: { 'apns.app_removed': 'open', 'apns.no_connection': 'ruled_out', 'apns.certificate_expired': 'ruled_out' },
    filing: 'causes_open',
    firstQuestion: 'q.apns.app_installed',
  },
  // ------------------------------------------------------------ several devices, zones, masked values
  {
    case: 'several-devices-one-log',
    step: 'three iPhones in one MicroMDM log and none named: ask which, credit nobody',
    domains: ['mdm'],
    causes: { 'mdm.wrong_topic': 'open', 'mdm.wrong_token': 'open', 'mdm.network': 'open' },
    filing: 'causes_open',
    firstQuestion: 'q.case.device',
    notes: ['case.note.several_devices'],
    noteSays: { 'case.note.several_devices': [UDID_A, UDID_B, UDID_C] },
  },
  {
    case: 'several-devices-one-log',
    step: "named, the iPhone whose push went unanswered is not credited with the others' Idle and Acknowledged",
    answers: [`q.case.device=${UDID_A}`],
    domains: ['mdm'],
    causes: { 'mdm.wrong_topic': 'open', 'mdm.wrong_token': 'open', 'mdm.unenrolled': 'open', 'mdm.server_network': 'ruled_out' },
    filing: 'causes_open',
    noNotes: ['mdm.note.push_answered'],
  },
  {
    case: 'several-devices-one-log',
    step: 'named, an iPhone that acknowledged a command a second after its push: answered',
    answers: [`q.case.device=${UDID_C}`],
    domains: ['mdm'],
    causes: allRuledOut(MDM_PUSH_CAUSES),
    filing: 'push_answered',
    noteSays: { 'mdm.note.push_answered': [UDID_C] },
  },
  {
    case: 'zone-less-server-log-beside-device-log',
    step: "a Go-prefixed server log beside a +0200 device log: the times are not compared until the server's zone is known",
    domains: ['mdm'],
    causes: { 'mdm.wrong_magic': 'open', 'mdm.wrong_topic': 'ruled_out' },
    filing: 'causes_open',
    firstQuestion: 'q.case.log_time_zone',
    notes: ['case.note.zone_less_times'],
    noteSays: { 'case.note.zone_less_times': ['nanomdm.log', '2024-05-07 10:00:03'] },
    noNotes: ['mdm.note.push_answered'],
  },
  {
    case: 'zone-less-server-log-beside-device-log',
    step: 'with the zone answered (Berlin, +02:00), the device polled a second after the push',
    answers: ['q.case.log_time_zone=Europe/Berlin'],
    domains: ['mdm'],
    causes: allRuledOut(MDM_PUSH_CAUSES),
    filing: 'push_answered',
    noNotes: ['case.note.zone_less_times'],
    neverAsks: ['q.case.log_time_zone'],
  },
  {
    case: 'masked-values-pasted',
    step: 'masked server values are unknown: noted, asked again, never compared',
    domains: ['mdm'],
    causes: { 'mdm.wrong_topic': 'open', 'mdm.wrong_magic': 'open', 'mdm.wrong_token': 'open' },
    filing: 'causes_open',
    notes: ['mdm.note.value_masked'],
    asks: ['q.mdm.server_topic', 'q.mdm.server_magic', 'q.mdm.server_token'],
    problems: ['paste.invalid_value', 'paste.invalid_value', 'paste.invalid_value'],
  },
  {
    case: 'garbled-magic-pasted',
    step: 'a PushMagic retyped with a repeated run of digits: "check this value", never a confirmed wrong magic',
    domains: ['mdm'],
    causes: { 'mdm.wrong_magic': 'open', 'mdm.wrong_topic': 'ruled_out' },
    filing: 'causes_open',
    notes: ['mdm.note.value_garbled'],
    asks: ['q.mdm.server_magic'],
    problems: ['paste.invalid_value'],
  },
  {
    case: 'prose-mentions-reasons',
    step: 'reasons named in conversation are no APNs answers: nothing confirmed or likely, no app domain',
    domains: ['mdm'],
    causes: {},
    notConfirmed: MDM_PUSH_CAUSES,
    filing: 'causes_open',
    problems: ['paste.unrecognised'],
  },
  {
    case: 'slack-thread-mdm-values-and-apns-answer',
    step: '"APNs returned 200 at 08:00:03 UTC on 2024-05-07 for UDID …" in an MDM thread: the MDM server\'s failed push, with its time and apns-id, and "never checked in" does not hedge it',
    domains: ['mdm'],
    causes: allRuledOut([...MDM_PUSH_CAUSES, 'mdm.server_network', 'mdm.enrollment_race']),
    filing: 'ready',
  },
  {
    case: 'slack-thread-apns-answer-without-date',
    step: '"APNs returned 200 at 09:05" in an MDM case is APNs\'s answer to the MDM push, not an app push: no app domain, nothing asked about it again',
    domains: ['mdm'],
    causes: { 'mdm.certificate_expired': 'ruled_out', 'mdm.server_network': 'ruled_out', 'mdm.no_push_info': 'ruled_out' },
    filing: 'causes_open',
    neverAsks: ['q.mdm.push_status'],
  },
  // ------------------------------------------------------------ MDM and app push side by side; domains
  {
    case: 'mdm-and-app-push-side-by-side',
    step: 'an answered MDM push and an app push refused BadDeviceToken: each domain judged on its own evidence',
    domains: ['mdm', 'apns'],
    causes: { 'apns.environment_mismatch': 'confirmed', 'mdm.wrong_token': 'ruled_out', 'mdm.unenrolled': 'ruled_out' },
    filing: 'causes_open',
    notes: ['mdm.note.push_answered'],
  },
  {
    case: 'mdm-domain-with-apsd-mgmt-receipt',
    step: 'apsd receiving the MDM topic is MDM evidence; the engineer said MDM: the rejection confirms the magic, the arrival rules out topic and token',
    domains: ['mdm'],
    causes: { 'mdm.wrong_magic': 'confirmed', 'mdm.wrong_topic': 'ruled_out', 'mdm.wrong_token': 'ruled_out', 'mdm.unenrolled': 'ruled_out' },
    filing: 'causes_open',
    neverAsks: ['q.mdm.enrolled', 'q.mdm.device_topic', 'q.mdm.push_status'],
  },
  {
    case: 'wrong-magic-syslog-and-checkin',
    step: "an iPad's syslog rejections (no year, no time guessed) and the server's old TokenUpdate: wrong magic",
    domains: ['mdm'],
    causes: { 'mdm.wrong_magic': 'confirmed', 'mdm.wrong_token': 'ruled_out' },
    filing: 'causes_open',
    noNotes: ['mdm.note.magic_recheck_from'],
  },
  {
    case: 'notnow-loop',
    step: 'every push answered, every InstallProfile deferred: NotNow is not a push failure',
    domains: ['mdm', 'notnow'],
    causes: { ...allRuledOut(MDM_PUSH_CAUSES), 'notnow.not_resent': 'ruled_out' },
    filing: 'push_answered',
    notes: ['notnow.note.deferral', 'mdm.note.push_answered'],
    firstQuestion: 'q.notnow.platform',
  },
  // ------------------------------------------------------------ app push (TN2265) and Secure Mail
  {
    case: 'app-wrong-environment',
    step: 'a development-signed build pushed through production, refused BadDeviceToken: sandbox and production mixed up',
    domains: ['apns'],
    causes: { 'apns.environment_mismatch': 'confirmed', 'apns.stale_provisioning_profile': 'ruled_out' },
    filing: 'causes_open',
  },
  {
    case: 'app-provider-token-expired',
    step: 'ExpiredProviderToken: the provider authentication cause',
    domains: ['apns'],
    causes: { 'apns.provider_token': 'confirmed' },
    filing: 'causes_open',
  },
  {
    case: 'app-certificate-expired',
    step: "the app push certificate past its date and APNs's expired-certificate alert",
    domains: ['apns'],
    causes: { 'apns.certificate_expired': 'confirmed' },
    filing: 'causes_open',
  },
  {
    case: 'app-push-console-offline',
    step: "the Push Notifications Console's 'Stored - Device Offline': no persistent connection is likely",
    domains: ['apns'],
    causes: { 'apns.no_connection': 'likely' },
    filing: 'causes_open',
  },
  {
    case: 'securemail-listener-500',
    step: "Secure Mail's log: the listener service answers HTTP 500 to the tenant request: the tenant ID, never an APNs answer",
    domains: ['securemail'],
    causes: { 'securemail.tenant_id': 'likely', 'securemail.push_disabled_policy': 'ruled_out' },
    filing: 'not_for_apple',
  },
  {
    case: 'securemail-push-disabled-policy',
    step: "Secure Mail's policy switches push off: a Secure Mail case, never one for Apple",
    domains: ['securemail'],
    causes: { 'securemail.push_disabled_policy': 'confirmed' },
    filing: 'not_for_apple',
  },
];

function check(r: Report, v: Verdict): void {
  expect(r.domains).toEqual(v.domains);
  // Causes of domains the case does not speak to are not listed at all.
  expect(r.causes.filter((c) => !v.domains.includes(c.id.split('.')[0]!)).map((c) => c.id)).toEqual([]);
  for (const [id, status] of Object.entries(v.causes)) expect(statusOf(r, id), id).toBe(status);
  for (const id of v.notConfirmed ?? []) expect(['confirmed', 'likely'], id).not.toContain(statusOf(r, id));
  expect(r.filing.status).toBe(v.filing);
  // The draft only when the filing is ready: every cause ruled out and a failed push on record (seed 000).
  if (v.filing === 'ready') expect(r.escalation?.feedbackDraft).toBeTruthy();
  else expect(r.escalation).toBeNull();
  for (const id of v.notes ?? []) expect(noteOf(r, id), id).toBeDefined();
  for (const id of v.noNotes ?? []) expect(noteOf(r, id), id).toBeUndefined();
  for (const [id, words] of Object.entries(v.noteSays ?? {})) for (const w of words) expect(noteOf(r, id)?.text, id).toContain(w);
  if (v.firstQuestion) expect(questionIds(r)[0]).toBe(v.firstQuestion);
  for (const id of v.asks ?? []) expect(questionIds(r)).toContain(id);
  for (const id of v.neverAsks ?? []) expect(questionIds(r)).not.toContain(id);
  expect(r.problems.map((p) => p.code).sort()).toEqual([...(v.problems ?? [])].sort());
}

describe('the case battery, read as a support engineer would', () => {
  it('covers every case at least once', () => {
    expect(CASES.map((c) => c.id).filter((id) => !VERDICTS.some((v) => v.case === id))).toEqual([]);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
  });

  it.each(VERDICTS.map((v) => ({ ...v, name: `${v.case}: ${v.step}` })))('$name', async (v) => {
    const argv = [...argvOf(byId(v.case, CASES)), ...(v.answers ?? []).flatMap((a) => ['--answer', a])];
    const r = await diagnose(argv);
    check(r, v);
    // The text report renders from the same evidence (its words are the renderers' tests' business).
    expect((await diagnoseText(argv)).length).toBeGreaterThan(0);
  });
});
