import type { Domain, Fact, FactDefinition } from '../schema.js';

/**
 * apsd carries MDM and app pushes alike: what it logged about a push marks the MDM domain when the
 * topic is an MDM one, app push when it is an app's, and neither when the topic is redacted or absent.
 */
const byTopic = (f: Fact): readonly Domain[] => {
  const topic = f.attrs?.topic;
  if (!topic) return [];
  return topic.startsWith('com.apple.mgmt.') ? ['mdm'] : ['apns'];
};

const d = (name: string, type: FactDefinition['type'], description: string, extra: Partial<FactDefinition> = {}): FactDefinition => ({
  name,
  type,
  description,
  domains: ['mdm'],
  ...extra,
});

/** Facts about MDM enrollment and push, read off the device, the server, or asked. */
export const mdmFacts: FactDefinition[] = [
  // Read off the device (sysdiagnose: MDM.plist, profile stubs, logs).
  d('device.topic', 'string', 'Push topic of the installed MDM payload (profile stub or MDM.plist)'),
  d('device.push_magic', 'secret', 'PushMagic the device expects (MDM.plist)', { secret: true }),
  d('device.push_token_hash', 'hex', 'SHA-256 of the push token the device last registered (MDM.plist LastPushTokenHash), 64 hex digits', { secret: true }),
  d('device.server_url', 'string', 'MDM ServerURL the device contacts'),
  d('device.checkin_url', 'string', 'MDM CheckInURL the device contacts'),
  d('device.last_polling_attempt', 'time', 'When the device last polled the MDM server (MDM.plist)'),
  d('device.mdm_enrolled', 'boolean', 'Whether the device holds an MDM enrollment (MDM.plist / an MDM payload stub present, or answered)'),
  d('device.mdm_profile_installed_at', 'time', 'When the MDM profile was installed (profile stub)'),
  d('device.mdm_identity', 'string', 'Name of the identity certificate the MDM payload uses', { multi: true }),
  d('device.model', 'string', 'Device model (e.g. iPhone14,2)', { domains: [] }),
  d('device.os_build', 'string', 'OS build (e.g. 21E236)', { domains: [] }),
  d('device.os_version', 'string', 'OS version (e.g. 17.4)', { domains: [] }),
  d('device.platform', 'string', 'ios, ipados, macos, tvos, watchos, visionos', { domains: [] }),
  d('device.udid', 'secret', 'Device UDID', { secret: true, domains: [] }),
  d('device.serial', 'secret', 'Device serial number', { secret: true, domains: [] }),
  d('device.logging_profiles', 'string', 'A logging profile installed on the device (Managed Configuration, APNS/PersistentConnection)', {
    domains: [],
    multi: true,
  }),
  d('device.sysdiagnose_at', 'time', 'When the sysdiagnose was taken (from its folder name)', { domains: [] }),
  d('device.wiped', 'boolean', 'Whether the device was erased since it enrolled (answered)'),
  // Asked for MDM and app pushes alike (q.mdm.network_ok): an answer speaks to the case's domain, it does not open MDM.
  d('device.network_ok', 'boolean', 'Whether the device reaches the internet and Apple (17.0.0.0/8, TCP 5223/443) from its current network (answered)', {
    domains: ['mdm', 'apns'],
    marksDomain: false,
  }),
  d('device.mdm_server_reachable', 'boolean', 'Whether the device can reach the MDM server URL (answered)'),

  // Device logs (mdmd / apsd). Event facts carry `at` when the line has a time.
  d('device.log.magic_rejection', 'time', 'mdmd rejected a push because its PushMagic did not match'),
  // A connection serves every topic: it speaks to either domain and opens neither.
  d('device.log.courier_connected', 'time', 'apsd connected to an APNs courier', { domains: ['mdm', 'apns'], marks: () => [] }),
  // apsd serves MDM and app pushes alike: a dropped connection alone does not say which a case is about.
  d('device.log.connection_failure', 'time', 'apsd dropped its APNs connection after a failure', { domains: ['mdm', 'apns'], marksDomain: false }),
  d('device.log.push_received', 'time', 'apsd received a message for an enabled topic (attrs.topic when not redacted)', {
    domains: ['mdm', 'apns'],
    marks: byTopic,
  }),
  d('device.log.token_update_skipped', 'time', 'mdmd skipped a TokenUpdate because a migration was incomplete'),
  d('device.log.redacted', 'boolean', 'Relevant log lines are redacted (<private>): the logging profiles are needed', {
    marksDomain: false,
    domains: ['mdm', 'apns'],
  }),
  d(
    'device.log.mdm_lines',
    'number',
    'How many mdmd/mdmclient/apsd lines the logs hold (0 means the log does not cover the push path); one observation per log file',
    { marksDomain: false, multi: true },
  ),
  d('device.log.checkin', 'time', 'The device contacted the MDM server (mdmclient/mdmd HTTP exchange in the log)'),

  // The enrollment profile (.mobileconfig) as served.
  d('profile.topic', 'string', 'Topic in the MDM payload of an enrollment profile'),
  d('profile.server_url', 'string', 'ServerURL in the MDM payload of an enrollment profile'),
  d('profile.checkin_url', 'string', 'CheckInURL in the MDM payload of an enrollment profile'),
  d('profile.placeholder', 'string', 'A value in the enrollment profile that is a template placeholder or example URL (attrs.key names it)', { multi: true }),
  d('profile.signed', 'boolean', 'The enrollment profile is CMS-signed', { marksDomain: false }),

  // What the MDM server holds and does (pasted, check-ins it stored, its logs).
  d('server.topic', 'string', 'Push topic the MDM server sends on'),
  // attrs.pushed_at (and pushed_zone): when the push line that carried the value went out; the latest value of a device wins.
  d('server.push_magic', 'secret', 'PushMagic the MDM server puts in its pushes', { secret: true }),
  d('server.push_token', 'hex', 'Device push token the MDM server uses, 64 hex digits', { secret: true }),
  d('server.push_token_sha256', 'hex', 'SHA-256 of the push token the MDM server holds (to compare with device.push_token_hash)', {
    secret: true,
    derived: true,
    derivedFrom: ['server.push_token'],
  }),
  d('server.unlock_token_present', 'boolean', 'The TokenUpdate carried an UnlockToken', { marksDomain: false }),
  // Server-log events are context for every domain, so on their own they do not make MDM push the question
  // (a NotNow log's pushes stay a NotNow case); a push the line shows on an MDM topic, or with a PushMagic, is an MDM push.
  d(
    'server.push_sent',
    'boolean',
    'The MDM server sent a push (value true; `at` is when; attrs: udid, status, reason; topic when the line names it; push_magic / push_token "logged" when it carried them)',
    { multi: true, marks: (f) => (f.attrs?.topic?.startsWith('com.apple.mgmt.') || f.attrs?.push_magic ? ['mdm'] : []) },
  ),
  d('server.push_status', 'number', 'HTTP status APNs answered a push with', { multi: true, marksDomain: false }),
  d(
    'server.push_answered',
    'boolean',
    'Whether the latest push to the device that the evidence can judge was followed, within the answer window, by the same device reaching the MDM server (derived; attrs: device, answered_at, answered_by)',
    { marksDomain: false, derived: true },
  ),
  d('server.push_answer', 'string', 'The device, the push and the contact that answered it, in words (derived)', { marksDomain: false, derived: true }),
  d(
    'server.first_push_within_race_window',
    'boolean',
    'Whether the first push after the enrollment TokenUpdate provably left within the race window (derived; absent when the stamps cannot tell)',
    { derived: true },
  ),
  d(
    'server.device_came_after_push',
    'boolean',
    'Whether the device reached the MDM server at any time after the first push following its enrollment (derived from logs, or answered)',
  ),
  d('device.reached_mdm_server', 'time', 'When the device last reached the MDM server, counting only contacts after the failure under diagnosis (derived)', {
    marksDomain: false,
    derived: true,
  }),
  d(
    'server.device_last_checkin',
    'time',
    'When the MDM server says the device last checked in (Jamf Pro\'s "has not checked in since"); attrs: udid, serial, zone, reported_at (when the server said so). A contact, never an APNs answer',
  ),
  d('mdm.server_last_checkin', 'string', 'Per device: when the MDM server says it last checked in, and when the server said so (derived)', {
    marksDomain: false,
    derived: true,
    multi: true,
  }),
  d('mdm.command_answers', 'string', 'Per device: which command answers it sent and when the latest was (derived)', {
    marksDomain: false,
    derived: true,
    multi: true,
  }),
  d(
    'mdm.wrong_magic_healed',
    'string',
    "The wrong PushMagic healed itself: a TokenUpdate after the wrong-magic rejections gave the server the device's PushMagic and the device answered the pushes after it (derived; at is the TokenUpdate)",
    { derived: true },
  ),
  d(
    'mdm.magic_differs_in_case',
    'secret',
    "The server's PushMagic is the device's but for letter case (every one the server holds for the case's device): the two values (derived)",
    { derived: true, secret: true, marksDomain: false, derivedFrom: ['server.push_magic', 'device.push_magic'] },
  ),
  d(
    'mdm.token_given_is_hash',
    'secret',
    "A value given as the server's push token that is the device's LastPushTokenHash itself: a hash copied for the token, so hashing it again proves nothing (derived)",
    { derived: true, secret: true, marksDomain: false, derivedFrom: ['server.push_token', 'device.push_token_hash'] },
  ),
  d(
    'mdm.token_update_of_other_devices',
    'string',
    "The case names its device, and every TokenUpdate in the evidence that gives push details (PushMagic, token) is another device's: whose, where, whether the device's own TokenUpdate is there without its values, and whether a value given for the server is one of those others' (derived)",
    { derived: true, marksDomain: false, derivedFrom: ['case.device', 'mdm.checkin.token_update', 'server.push_magic', 'server.push_token'] },
  ),
  d(
    'mdm.magic_rejections_superseded',
    'string',
    "mdmd's wrong-magic rejections are older than what followed: a push the device answered after the last one, or (with the server now holding the device's PushMagic) a later contact from the device or a later failed push that mdmd did not reject (derived)",
    {
      derived: true,
      derivedFrom: ['device.log.magic_rejection', 'server.push_magic', 'device.push_magic', 'server.push_sent'],
    },
  ),
  d(
    'mdm.magic_recheck_from',
    'time',
    'From when one more push makes a device that noted a wrong PushMagic send a TokenUpdate (noted time + the re-check period; derived)',
    { derived: true },
  ),
  d('server.retries_push', 'boolean', 'Whether the server pushes again when the device does not check in within several seconds (answered)'),
  d('server.first_push_delay_seconds', 'number', 'Seconds between the enrollment TokenUpdate and the first push (derived)', { derived: true }),
  d('server.push_retried_after_enrollment', 'boolean', 'Whether another push followed the first one after enrollment (derived)', { derived: true }),
  d('mdm.checkin.authenticate', 'time', 'An Authenticate check-in (attrs: udid, topic, platform)', { marksDomain: false }),
  d('mdm.checkin.token_update', 'time', 'A TokenUpdate check-in (attrs: udid, topic)', { marksDomain: false }),
  d('mdm.checkin.checkout', 'time', 'A CheckOut check-in: the device announced it is leaving MDM'),
  d(
    'mdm.push_after_checkout',
    'time',
    "The first push the server sent the case's device after its last CheckOut, with no enrollment since (derived; attrs: device, zone)",
    { derived: true, marksDomain: false },
  ),
  d(
    'mdm.checkout_after_pushes',
    'time',
    "The latest push to the case's device, when every push in the evidence went out before its last CheckOut and no enrollment followed it (derived; attrs: device, zone)",
    { derived: true, marksDomain: false },
  ),
  d(
    'mdm.command.status',
    'string',
    'An MDM command result status: Acknowledged, Error, CommandFormatError, NotNow, Idle (attrs: command_uuid, request_type, udid, channel, connection)',
    {
      domains: ['notnow', 'mdm'],
      multi: true,
      // Only a NotNow opens the NotNow domain. The other statuses are the device talking to its MDM server:
      // evidence for (mostly against) the MDM causes, but no sign by themselves of an MDM push problem.
      marks: (f) => (f.value === 'NotNow' ? ['notnow'] : []),
      // Alone (a command result plist, a webhook), the device answering its MDM server is MDM evidence.
      hints: () => ['mdm'],
    },
  ),
  d('mdm.command.error', 'string', 'Error chain text of a failed MDM command (attrs: command_uuid, code, domain)', { multi: true }),

  // Values pasted without saying whose they are: the engine asks which side.
  d('pasted.topic', 'string', "A push topic pasted without saying whether it is the server's or the device's"),
  d('pasted.push_magic', 'secret', 'A PushMagic pasted without saying whose it is', { secret: true }),
  d('pasted.push_token', 'hex', 'A push token pasted without saying whose it is', { secret: true }),
  d('pasted.push_token_hash', 'hex', 'A token SHA-256 (LastPushTokenHash) pasted', { secret: true }),
  d('case.pasted_side', 'string', 'Whose values the unlabelled pasted ones are: server or device (answered)', { marksDomain: false }),

  // When the problem started, as people tell it.
  d('case.failures_began', 'time', 'When pushes started failing (answered or from logs)', { domains: [] }),
  d('case.push_soon_after_enrollment', 'boolean', 'Whether the failing push was sent within seconds of enrollment (answered)'),

  // More device log lines (src/evidence/text). Event facts: value is the ISO time when the
  // line has a full date, else the time as logged; attrs.logged_at keeps the original text.
  d(
    'device.log.command',
    'string',
    'mdmd/mdmclient processed a command the server sent, so the device had reached the server (value: RequestType; attrs: channel, process)',
    { multi: true },
  ),
  d(
    'device.log.push_ignored',
    'time',
    'apsd received a message for a topic it does not listen on (ignored, recently removed, or an unknown topic hash; attrs: reason, topic when not redacted)',
    { domains: ['mdm', 'apns'], marks: byTopic },
  ),
  d(
    'device.log.push_unknown_token',
    'time',
    'apsd received a push for a topic but for a token it does not know; weak evidence: the topic is usually redacted and may be unrelated traffic',
    { domains: ['mdm', 'apns'], marks: byTopic },
  ),
  d('device.log.aps_environment_missing', 'time', "An app's registration failed: no valid 'aps-environment' entitlement string found (TN2265)", {
    domains: ['apns'],
  }),
  d(
    'device.log.copy_token',
    'time',
    'apsd looked up an app push token (copyTokenForDomain); attrs.token is none when it had none, present otherwise (the token itself is never kept)',
    { domains: ['apns'] },
  ),
  d('device.log.push_environment', 'string', 'APNs environment apsd logged for a connection or a stored message: production or development (sandbox)', {
    domains: ['apns'],
    multi: true,
  }),

  // MDM.plist / profile stub details beyond push identity (added with the MDM plist readers).
  d('device.last_polling_success', 'time', 'When the device last polled the MDM server successfully (MDM.plist LastPollingSuccess)'),
  d(
    'device.push_magic_mismatch_at',
    'time',
    'When mdmd marked a push whose PushMagic did not match (MDM.plist PushMagicMismatchDateMarker); the self-healing TokenUpdate counts from such a mismatch',
  ),
  d(
    'device.mdm_apns_environment',
    'string',
    'APNs environment of the MDM enrollment: development when UseDevelopmentAPNS is set, else production (MDM.plist or the MDM payload)',
  ),
  d('device.mdm_user_enrollment', 'boolean', 'The enrollment is a User Enrollment (MDM.plist UserEnrollment)'),
  d('device.mdm_managing_profile', 'string', 'Identifier of the profile that holds the MDM payload (MDM.plist ManagingProfileIdentifier)'),

  // Where a value comes from decides what it means (issue 8 item 4): the Topic a device sends in its
  // Authenticate / TokenUpdate is the one it enrolled with, which a replaced push certificate no longer pushes on.
  d(
    'server.enrolled_topic',
    'string',
    'Topic the device sent in an Authenticate or TokenUpdate check-in, as the server stored it: the topic the device enrolled with (not necessarily the one the server pushes on)',
    { multi: true },
  ),
  d(
    'server.push_info_missing',
    'time',
    'The MDM server had no push info (no stored TokenUpdate) for a device it was asked to push to (MicroMDM: retrieving PushInfo by UDID: not found; attrs.udid)',
    { multi: true },
  ),
  d(
    'server.push_info_held',
    'boolean',
    'The MDM server holds push details for the device: a stored TokenUpdate, its token or PushMagic, or an APNs answer to its push (derived)',
    {
      marksDomain: false,
      derived: true,
      derivedFrom: ['mdm.checkin.token_update', 'server.push_token', 'server.push_magic', 'server.push_status'],
    },
  ),
  d(
    'server.reached_apns',
    'boolean',
    'The MDM server reached APNs: APNs answered one of its pushes, it got as far as a TLS handshake, or the device answered a push (derived)',
    {
      marksDomain: false,
      derived: true,
      derivedFrom: ['mdm.apns_response', 'server.push_status', 'mdm.apns_tls_error'],
    },
  ),
  d(
    'device.mdm_push_arrived',
    'time',
    "An MDM push reached the device, not before the failure under diagnosis: mdmd judged its PushMagic, or apsd received it on an MDM topic; so APNs took the server's certificate and the topic and token were right then (derived)",
    {
      marksDomain: false,
      derived: true,
      derivedFrom: ['device.log.magic_rejection', 'device.log.push_received'],
    },
  ),
  // Values that cannot be compared (issue 8 item 2): masked where they were copied from, or garbled. The value says
  // which value it is and why, without repeating a secret; attrs.of is the fact it would have been, attrs.question asks for it.
  d(
    'value.masked',
    'string',
    'A topic, PushMagic, token, hash or UDID that is masked or cut short (XXXX, <private>, ****, …): unknown, never compared (attrs: of, kind, why, question)',
    { multi: true },
  ),
  d(
    'value.garbled',
    'string',
    'A topic, PushMagic, token, hash or UDID that is almost, but not, shaped like one (wrong UUID groups, stray characters, not 32 bytes, a stray space or repeated segment): never compared (attrs: of, kind, why, question)',
    { multi: true },
  ),
  d('case.apns_id', 'string', 'An apns-id (the id APNs gave a push) the user gave, to look the push up by', { domains: [], marksDomain: false, multi: true }),
];
