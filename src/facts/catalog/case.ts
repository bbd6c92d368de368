import type { FactDefinition } from '../schema.js';

/** Facts about the case itself rather than any domain. */
export const caseFacts: FactDefinition[] = [
  {
    name: 'case.domain',
    type: 'string',
    domains: [],
    marksDomain: false,
    description: 'The kind of problem, when the evidence does not tell: mdm, apns, notnow or securemail (answered)',
  },
  ...(
    [
      ['case.device_id', 'string', "The device the case is about, named by its UDID, EnrollmentID, serial number or the server's device id (answered)", {}],
      [
        'case.device',
        'string',
        'The device the case is about, as the evidence names it (derived; attrs: udid, enrollment_id, serial, device_id)',
        { derived: true },
      ],
      [
        'case.device_unresolved',
        'string',
        'The evidence names several devices and does not say which one the case is about (derived; the value lists them)',
        { derived: true },
      ],
      [
        'case.device_not_found',
        'string',
        'The answer to q.case.device names no device of the evidence, or a bare number that is the id of several (derived; the value is the answer and the devices the evidence names)',
        { derived: true },
      ],
      [
        'case.device_not_a_token',
        'string',
        "The answer to q.case.device is no push token (a UDID, a serial), and the evidence's devices are an app provider's device tokens only (derived; the value is the answer and the tokens)",
        { derived: true },
      ],
      [
        'case.log_time_zone',
        'string',
        'The time zone the MDM server log writes its zone-less times in: an offset such as +02:00, UTC, or a zone name such as Europe/Berlin (answered)',
        {},
      ],
      [
        'case.zone_less_times',
        'string',
        "An input whose times carry no zone and had to be compared with another input's times (derived; the value names the input and the times)",
        { derived: true, multi: true },
      ],
      [
        'case.failed_push',
        'string',
        'A push the device did not answer, with the APNs answer to it: the value is that answer (derived; at when its time is known; attrs: domain, device, udid, apns_id, status, reason, response_from)',
        { derived: true, multi: true },
      ],
      ['case.failed_push_at', 'time', 'When a failed push (case.failed_push) was sent (derived)', { derived: true, multi: true }],
      [
        'case.failed_push_token',
        'hex',
        "The device token the failed app pushes went to, from the provider's log: its only token, or the one the case named (derived)",
        { derived: true, secret: true },
      ],
      ['case.failures_seen_from', 'time', 'The earliest failed push in the evidence: failures began then or earlier (derived)', { derived: true }],
      ['case.failed_push_count', 'number', 'How many pushes to the device got no answer, with the APNs answer on record (derived)', { derived: true }],
      ['case.sysdiagnose_after_failure', 'boolean', 'The sysdiagnose was taken after the latest failed push (derived)', { derived: true }],
      [
        'case.sysdiagnose_days_after_failures_began',
        'number',
        'Days from when the failures began (or the earliest failed push) to the sysdiagnose (derived)',
        { derived: true },
      ],
      [
        'case.logging_profile_before_failure',
        'string',
        'A logging profile installed before the latest failed push (derived; the value is the profile)',
        { derived: true, multi: true },
      ],
    ] as const
  ).map(([name, type, description, extra]): FactDefinition => ({ name, type, description, domains: [], marksDomain: false, ...extra })),
];
