import { parseLogLine } from '../text/lineFormat.js';
import { mayMatter, observe } from '../text/messages.js';
import { expectedValue, flushHex, hexLine, plutilValue, sectionOrCommand } from './commandOutput.js';
import { certificateSubject, header, keyedValues, proseTopic } from './keyedValues.js';
import { type PasteCut, type PasteIssue, PasteState, type PastedValue } from './pasteState.js';
import { tidy } from './valueWords.js';

/**
 * Reads topic, PushMagic, push token, LastPushTokenHash, UDID and apns-id out
 * of what a support engineer pastes: `key=value`, `key: value`, Slack prose
 * ("server says topic is X, magic Y", "token from the DB: …"), headers over
 * lines of values ("MDM says:"), certificate subjects (APSP:<uuid>), and the
 * output of the commands the MDM document gives (plutil -p | grep Topic /
 * PushMagic, PlistBuddy … | xxd -l 32 -ps -c 32). Each value gets a side:
 * the server's, the device's, or unclear. Masked and garbled values are kept
 * as such (state), so that they are named and never compared.
 */

const RE_PLIST_MARKUP = /^<\/?(?:\?xml|!DOCTYPE plist|plist|dict|array|key|string|data|integer|real|date|true|false)\b/;
const RE_MGMT_TOPIC = /^com\.apple\.mgmt\.[\w.-]+$/;
const RE_PLAUSIBLE =
  /topic|magic|token|hash|udid|apns|apsp|plutil|plistbuddy|xxd|server|device|^[\s<]*[0-9a-f]{8}|com\.apple\.mgmt|\bmdm\b|\bdb\b|database|on file|\bour\b/i;

export function parsePaste(text: string): { values: PastedValue[]; issues: PasteIssue[]; cut?: PasteCut } {
  const s = new PasteState();
  text.split(/\r?\n/).forEach((line, i) => readLine(s, line, i + 1));
  flushHex(s);
  const open = s.ctx.plutil;
  return { values: s.values, issues: s.issues, ...(open?.pairs ? { cut: { from: open.from, last: open.last } } : {}) };
}

/**
 * plutil -p prints a dictionary between "{" and "}", nested ones opening at the end of their key's line. Output
 * that never reaches its last "}" was cut (a paste limit, a partial copy): what came before is whole, the rest
 * is missing.
 */
function plutilBraces(s: PasteState, line: string, n: number): void {
  const open = s.ctx.plutil;
  if (!open) {
    if (line === '{') s.ctx.plutil = { from: n, depth: 1, last: n, pairs: 0 };
    return;
  }
  open.last = n;
  if (/^"[^"]*"\s*=>/.test(line)) open.pairs++;
  if (/^"[^"]*"\s*=>\s*\{$/.test(line) || /^\d+\s*=>\s*\{$/.test(line)) open.depth++;
  else if (line === '}') open.depth--;
  if (open.depth === 0) s.ctx.plutil = undefined;
}

/** One line of a paste. Each form a value comes in is a step of its own; the first step that recognises the line takes it. */
function readLine(s: PasteState, rawLine: string, n: number): void {
  if (rawLine.length > 4096) return; // a log line or a blob, not a value someone typed
  const line = tidy(rawLine);
  if (line && !/^`{3}/.test(line)) plutilBraces(s, line, n);
  if (!line || /^`{3}/.test(line)) return blank(s, line);
  // XML plist markup (MDM.plist printed with plutil -convert xml1 -o -) is the plist readers' to read, whole or cut.
  if (RE_PLIST_MARKUP.test(line)) return;
  if (hexLine(s, line, n)) return;
  flushHex(s);
  if (!RE_PLAUSIBLE.test(line) && !s.ctx.expect) return;
  // Log lines belong to the device log reader, even a bare message ("… for device token: <private>").
  if (parseLogLine(rawLine) || (mayMatter(line) && observe({ format: 'bare', message: line }).length)) return;
  if (sectionOrCommand(s, line)) return;
  if (plutilValue(s, line, n)) return;
  if (expectedValue(s, line, n)) return;
  if (RE_MGMT_TOPIC.test(line)) {
    s.take('topic', s.sideNow(), line, n, 'bare');
    return;
  }
  if (certificateSubject(s, line, n)) return;
  if (keyedValues(s, line, n)) return;
  if (proseTopic(s, line, n)) return;
  header(s, line);
}

/** A blank line ends a command's output; a code fence only ends a run of hex lines. */
function blank(s: PasteState, line: string): void {
  flushHex(s);
  if (line) return;
  s.endCommand();
  s.ctx.expectSide = undefined;
}
