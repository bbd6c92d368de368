// What an MDM server's log lines say and how: the statuses, check-in messages and keys servers
// write, the cheap tests run before a line is parsed, and the small readings of one field.

export const STATUSES = new Map(['Acknowledged', 'Error', 'CommandFormatError', 'NotNow', 'Idle'].map((s) => [s.toLowerCase(), s]));
export const CHECKINS: Record<string, string> = {
  authenticate: 'mdm.checkin.authenticate',
  tokenupdate: 'mdm.checkin.token_update',
  checkout: 'mdm.checkin.checkout',
};
export const UUIDISH = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
export const REQUEST_TYPE = /^[A-Z][A-Za-z0-9.]{2,80}$/;
const MAX_ATTR = 200;

/** A cheap test run on every line before parsing: server lines carry key=value pairs or are JSON objects. */
export const MAYBE = /=|^\s*\{/;
/** Lines worth parsing name a status, a message, a push or an API path; access-log lines for /mdm are skipped unparsed. */
export const INTERESTING = /status|msg|message|push|topic|\/v1\//i;

const SNIFF = [
  /\blevel=(?:info|debug|warn|error)\b[^\n]*\b(?:service|handler|component|msg|caller)=/,
  /^connected udid=/m,
  /\bstatus=(?:Acknowledged|NotNow|Idle|Error|CommandFormatError)\b/,
  /"status"\s*:\s*"(?:Acknowledged|NotNow|Idle|Error|CommandFormatError)"/i,
  /"topic"\s*:\s*"mdm\.(?:Connect|Authenticate|TokenUpdate|CheckOut)"/,
  /\bservice=nanomdm\b|\bcomponent=(?:apns|command|queue)\b/,
];

export function looksLikeServerLog(head: string): boolean {
  return SNIFF.some((re) => re.test(head));
}

export function MDM_SERVER_LINE(f: Map<string, string>): boolean {
  return (
    /^(?:nanomdm|certauth|push|multi)$/.test(f.get('service') ?? '') ||
    /^(?:apns|command|queue|checkin)$/.test(f.get('component') ?? '') ||
    /^\/(?:mdm|checkin)\b/.test(f.get('path') ?? '')
  );
}

/** Plain servers write "<time> [level] push sent udid=…": the words before the first key are the message. */
export function plainMessage(prefix: string): string {
  return prefix
    .replace(/^\[?\d{4}[-/]\d{2}[-/]\d{2}[ T][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?\]?\s*/, '')
    .replace(/^\[?(?:info|debug|warn(?:ing)?|error|notice)\]?:?\s+/i, '');
}

export function clip(v: string): string {
  return v.length > MAX_ATTR ? `${v.slice(0, MAX_ATTR)}…` : v;
}

/** Keys a push line may name its device by: a server keyed on EnrollmentIDs, host UUIDs or its own device ids says so on the push line too. */
export const PUSH_ID_KEYS = ['udid', 'id', 'idfirst', 'deviceudid', 'enrollmentid', 'hostuuid', 'deviceid'];

/** MicroMDM's push log names the device `udid` and what APNs handed back `id` (the apns-id). */
export function micromdmIdOf(f: Map<string, string>): string | undefined {
  return f.get('method') === 'Push' && f.has('udid') && UUIDISH.test(f.get('id') ?? '') ? f.get('id') : undefined;
}
