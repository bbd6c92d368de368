import { isInSysdiagnose } from '../sysdiagnose.js';
import { isCmsSigned } from '../plist/sniff.js';
import type { Item } from '../types.js';

const TEXT_NAMES = /\.(log|txt|text|out|err|json|jsonl|ndjson|har|md|entitlements|xcent)$/i;
const CERT_NAMES = /\.(pem|crt|cer|der|key)$/i;

/**
 * Whether an input is text worth scanning line by line for push evidence:
 * anything pasted, files with a text extension, and extension-less files
 * whose first bytes are printable (command output saved without a name).
 */
export function isPushText(name: string, head: Buffer, item: Item): boolean {
  if (item.pasted) return true;
  // A device's sysdiagnose holds no provider-side evidence (APNs answers, PEM certificates, codesign
  // output); its logs belong to the device-log reader. Skipping them keeps a 300 MB scan near gunzip speed.
  if (isInSysdiagnose(item)) return false;
  // Log lines out of a console's export (a provider's log saved from Datadog or Kibana as .csv).
  if (item.unwrapped) return true;
  // Certificates: PEM is text, DER is not (the DER reader takes those).
  if (CERT_NAMES.test(name)) return head.toString('latin1').includes('-----BEGIN ');
  // A CMS envelope (a provisioning or enrollment profile saved as .txt) is binary: the plist readers take it.
  if (isCmsSigned(head)) return false;
  // Old codesign output carries a few binary bytes (blob magic and length) before its XML.
  if (TEXT_NAMES.test(name)) return true;
  if (/\.[A-Za-z0-9]{1,12}$/.test(name)) return false;
  if (!head.length || head.includes(0)) return false;
  let control = 0;
  for (const b of head) if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  return control / head.length < 0.02;
}

/** The time at the start of a log line (ISO, `log show`, Go's 2021/05/30 12:26:18), as ISO 8601 UTC. */
export function lineTime(line: string): string | undefined {
  return lineTimeZoned(line)?.at;
}

/**
 * The same, with the zone it was written in: "unknown" when it had none (Go's
 * default log prefix is local time; it is read as if UTC and must not be
 * compared with other inputs' times), "+01:00" for an offset, none for UTC.
 */
export function lineTimeZoned(line: string): { at: string; zone?: string } | undefined {
  // gorush writes "2026/11/20 - 09:15:11" (a dash between date and time).
  const m = line.match(/(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ]| - )(\d{2}:\d{2}:\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?/);
  if (!m || (m.index ?? 0) > 40) return undefined;
  const frac = m[5] ? m[5].slice(0, 4) : '';
  const tz = !m[6] || m[6] === 'Z' ? 'Z' : m[6].replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}${frac}${tz}`);
  if (Number.isNaN(d.getTime())) return undefined;
  const zone = !m[6] ? 'unknown' : tz === 'Z' || tz === '+00:00' || tz === '-00:00' ? undefined : tz;
  return { at: d.toISOString(), ...(zone ? { zone } : {}) };
}
