/**
 * Which inputs the device log reader takes: by content for anything (and
 * always for pastes), by name for files in a sysdiagnose or saved by hand.
 */

const HEAD_PATTERNS: RegExp[] = [
  /^Timestamp\s+(?:Thread|Ty)\b/m, // log show header
  /^Filtering the log data/m,
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{4})?\s+(?:0x[0-9a-f]+\s|[A-Z][a-z]?\s+\S+\[\d+:)/m, // default / compact
  /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2}\S* \S+ \S+\[\d+\]/m, // syslog
  /"eventMessage"\s*:/, // ndjson / json styles
  /^Timestamp,Event Type,Log Type,Subsystem,/m, // Mandiant unifiedlog_iterator CSV
  /^\{"subsystem":"[^"]*","thread_id":/m, // unifiedlog_iterator JSON lines (its fields in LogData's order)
  /^(?:default|info|debug|error|fault)[\t ]+\d{2}:\d{2}:\d{2}\S*(?:[\t ][+-]\d{4})?[\t ]+\S+[\t ]/im, // Console / Xcode copies
  /\b(?:mdmd|mdmclient|apsd|ManagedClient)\b/,
  /Rejecting MDM push dictionary|Connected to courier|Received message for enabled topic|Skipped token update due to incomplete migration|aps-environment['’"”] entitlement/,
  /MCSCEPErrorDomain|Cannot retrieve SCEP identity|The required field \S+ is missing|APSBAAClientIdentityProvider/,
];

/** Whether the first bytes of a text look like a device log (or mention the push path). */
export function looksLikeDeviceLog(head: Buffer): boolean {
  if (!head.length) return false;
  const text = head.toString('latin1');
  // A plist (a logging profile's stub names apsd) is a plist, whatever it mentions.
  if (/^(?:bplist0|\s*<\?xml[^>]*>\s*(?:<!DOCTYPE plist|<plist))/.test(text)) return false;
  return HEAD_PATTERNS.some((re) => re.test(text));
}

const LOG_NAME = /\.(?:log|txt|ndjson|jsonl|logs|out)(?:\.\d+)?$/i;

/**
 * Text logs by name: *.log, *.txt, *.ndjson, numbered rotations, sysdiagnose
 * text exports (system_logs text, PersistentConnection folders). A .json file
 * only when its content is a `log show` export: other readers own JSON.
 */
export function nameLooksLikeLog(name: string, path: string, head: Buffer): boolean {
  if (LOG_NAME.test(name)) return !isBinary(head);
  if (/\.json$/i.test(name)) return head.includes('"eventMessage"') || head.includes('"boot_uuid"');
  // A CSV only when it is unifiedlog_iterator's (Secure Mail's CSVs have readers of their own).
  if (/\.csv$/i.test(name)) return head.toString('latin1').startsWith('Timestamp,Event Type,');
  return /PersistentConnection|(^|\/)system_logs[^/]*\/[^/]*$/i.test(path) && !path.includes('.logarchive/') && !isBinary(head);
}

function isBinary(head: Buffer): boolean {
  // A few NULs in a text log are tolerated by dispatch; a head full of them is a binary file.
  // indexOf, not a loop over the bytes: this runs on the head of every member of a sysdiagnose.
  const most = head.length / 8;
  let nul = 0;
  for (let at = head.indexOf(0); at >= 0; at = head.indexOf(0, at + 1)) if (++nul > most) return true;
  return false;
}
