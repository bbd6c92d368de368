import type { FactDefinition } from '../schema.js';

const both: FactDefinition['domains'] = ['mdm', 'apns'];

const d = (name: string, type: FactDefinition['type'], description: string, extra: Partial<FactDefinition> = {}): FactDefinition => ({
  name,
  type,
  description,
  domains: both,
  ...extra,
});

/**
 * The device's own side of the push path, read from apsd, mdmd, mdmclient and
 * profiled lines: whether it can hold its connection to APNs, obtain its push
 * identity, and finish enrolling. apsd serves MDM and app pushes alike, so its
 * facts speak to both domains without deciding which one a case is about (the
 * derived device.log.push_connection_failing does that when nothing else does).
 */
export const deviceFacts: FactDefinition[] = [
  // Read off device logs. Event facts: value is the ISO time when the line has a full date, else the time as logged.
  d(
    'device.log.push_network_error',
    'time',
    'apsd could not reach APNs: dns (NSURLErrorDomain -1003), offline (-1009), timeout (-1001), refused (-1004), unreachable (-1005), tls, or courier (a failed courier connection) (attrs: kind, code)',
    {
      marksDomain: false,
    },
  ),
  d(
    'device.log.push_identity_failure',
    'time',
    'apsd could not obtain the identity it connects to APNs with (BAA certificate, device identity, "Failed to create reference key"); common on virtual Macs (attrs.detail)',
    { marksDomain: false },
  ),
  d('device.log.push_identity_obtained', 'time', 'apsd obtained its BAA certificate (push identity)', { marksDomain: false }),
  d(
    'device.log.mdm_connection_error',
    'time',
    'mdmd/mdmclient failed to reach the MDM server for a network reason (attrs: kind, code as for device.log.push_network_error)',
    { domains: ['mdm'] },
  ),
  d(
    'device.log.scep_failure',
    'time',
    'Enrollment could not get its device identity from the SCEP server (MCSCEPErrorDomain, "Cannot retrieve SCEP identity"; attrs: code, domain)',
    { domains: ['mdm'] },
  ),
  d(
    'device.log.profile_refused',
    'string',
    'The device refused to install a profile because a required field is missing ("The required field “Topic” is missing"); value: the field',
    { domains: ['mdm'], multi: true },
  ),
  d(
    'device.log.archive',
    'string',
    "A sysdiagnose holds its unified log archive (system_logs.logarchive, binary tracev3): value is the archive's path inside the input",
    {
      domains: [],
      marksDomain: false,
      multi: true,
    },
  ),

  // The enrollment profile as served (.mobileconfig): what makes it unusable before any push.
  d('profile.topic_missing', 'boolean', "The enrollment profile's MDM payload has no Topic (or an empty one): the server built it without a push certificate", {
    domains: ['mdm'],
  }),
  d(
    'profile.defect',
    'string',
    "A key of the enrollment profile's MDM payload that cannot work, with why (value in words; attrs: key, why = missing, localhost, placeholder_host, not_https, no_uuid, unresolved)",
    {
      domains: ['mdm'],
      multi: true,
    },
  ),

  d('profile.placeholder_field', 'string', 'A template value of the enrollment profile with its key, "Topic = …YOUR-PUSH-TOPIC-HERE" (derived)', {
    domains: ['mdm'],
    marksDomain: false,
    multi: true,
    derived: true,
  }),

  // Derived from the lines above (src/facts/derive/deviceLog.ts).
  d(
    'device.log.push_connection',
    'string',
    "Where apsd's push connection stood at the end of a log: down, up, or recovered (down at its end, but another log shows a connection later) (one per log file; attrs: kind of the last failure, file, last_seen, up_again_at) (derived)",
    {
      marksDomain: false,
      multi: true,
      derived: true,
      perLog: true,
    },
  ),
  d('device.log.push_connection_problem', 'string', 'The last push connection failure of a log whose connection ends down, in words (derived)', {
    marksDomain: false,
    multi: true,
    derived: true,
  }),
  d(
    'device.log.push_connection_failing',
    'boolean',
    'apsd shows the device cannot hold its push connection and nothing else says whether the case is about MDM or app pushes: both are looked at (derived)',
    {
      derived: true,
    },
  ),
  d(
    'device.log.push_path_worked',
    'string',
    'A device log shows the device reaching the MDM server (a completed transaction, a command processed): value names the device and the time (derived)',
    {
      domains: ['mdm'],
      marksDomain: false,
      multi: true,
      derived: true,
    },
  ),
];
