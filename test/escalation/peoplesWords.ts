import { feedbackContext } from '../../src/escalation/index.js';
import { allFactDefinitions } from '../../src/facts/catalog/index.js';
import { formatTime } from '../../src/report/time.js';
import type { Report } from '../../src/report/types.js';
import { shipped } from '../support/rules.js';

/**
 * What Apple's reader must never have to decode in a Feedback draft, and
 * what they must always find in it. Shared by the draft tests of the
 * realistic cases (test/cases, test/verdicts, a Slack thread).
 */

const INTERNAL: { what: string; pattern: RegExp }[] = [
  { what: 'a fact id with its value', pattern: /\b[a-z]+\.[a-z_]+ =/g },
  { what: 'a raw Slack user id', pattern: /\bU[A-Z0-9]{6,}\b/g },
  { what: 'a seed file name', pattern: /\b\d{3}_[0-9a-f]{16}\.txt\b/g },
  { what: 'a document by its file name (documents are named by their titles)', pattern: /\b[\w-]+\.md\b/g },
  { what: 'a value the code never filled in', pattern: /\[object Object\]|\bundefined\b|\bNaN\b|\{\{|\}\}/g },
  { what: 'a question id', pattern: /\bq\.[a-z]+\.[a-z_]+/g },
  { what: 'a bare true/false', pattern: /\((?:true|false)\)|: (?:true|false)$/gm },
  { what: 'an attribute name', pattern: /\battrs\b/g },
  { what: 'an attribute shown as its key and raw value', pattern: /\bchannel (?:device|user)\b/g },
  { what: 'an ISO time (times are written in words, with their zone)', pattern: /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/g },
  { what: 'a command-line flag', pattern: /(?<![\w-])--(?:topic|magic|token|paste|answer|now)\b/g },
  { what: 'a chat message label', pattern: /message from \S+ at \d{9,}/g },
  { what: 'a path on the machine that ran pushcheck', pattern: /(?:^|[\s([])\/(?:tmp|var|home|Users)\//gm },
  { what: 'an archive path repeated before its member', pattern: /\.(?:tar\.gz|tgz|zip) › /g },
];

/** Fact and cause ids ("device.mdm_enrolled", "mdm.wrong_magic.x"): three dotted lower-case parts. */
const DOTTED_ID = /\b[a-z]+\.[a-z_]+\.[a-z_]+\b/g;

/**
 * The draft with every value the evidence holds taken out (a topic such as
 * com.apple.mgmt.External.… or a host is a value, not an id), so the dotted
 * id check sees only the words around them.
 */
function withoutValues(draft: string, report: Report): string {
  const vs = new Set<string>();
  for (const f of report.facts) {
    vs.add(String(f.value));
    for (const v of Object.values(f.attrs ?? {})) vs.add(v);
  }
  let out = draft;
  for (const v of [...vs].filter((x) => x.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(v).join('‹value›');
  return out;
}

/** Slack's ids of channels, users, workspaces (C0…, U0…, W0…, T0…): the chat's names, which Apple cannot look up. */
const SLACK_ID = /\b[CUWTGD]0[A-Z0-9]{6,}\b/g;

let ids: Set<string> | undefined;
/** Every id pushcheck gives a thing: facts, causes, rules, questions, notes. */
function knownIds(): Set<string> {
  if (ids) return ids;
  const rules = shipped();
  ids = new Set([
    ...allFactDefinitions.map((d) => d.name),
    ...rules.causes.map((c) => c.id),
    ...rules.rules.map((r) => r.id),
    ...rules.questions.map((q) => q.id),
    ...rules.advisories.map((a) => a.id),
  ]);
  return ids;
}

/** Every internal name in the draft, each with what it is; [] when it speaks in people's words only. */
export function internalNames(draft: string, report: Report): string[] {
  const found: string[] = [];
  for (const { what, pattern } of INTERNAL) for (const m of draft.matchAll(pattern)) found.push(`${what}: ${m[0]}`);
  const words = withoutValues(draft, report);
  // Apple's own reverse-DNS names (an MDM topic's shape, an entitlement key) are Apple's words.
  for (const m of words.matchAll(DOTTED_ID)) if (!m[0].startsWith('com.apple.')) found.push(`a fact or cause id: ${m[0]}`);
  // Two-part ids ("server.topic", "mdm.network") look like file names, so only the ids pushcheck really uses are looked for.
  for (const m of words.matchAll(/(?<![\w.-])[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+(?![\w-]|\.\w)/g)) if (knownIds().has(m[0])) found.push(`an id: ${m[0]}`);
  for (const m of words.matchAll(SLACK_ID)) found.push(`a Slack id: ${m[0]}`);
  return found;
}

/**
 * What Apple asks for that the evidence holds but the draft does not show:
 * the topic, token and PushMagic used, each failed push's time (in UTC, or
 * marked zone-less), APNs answer and apns-id, the device's UDID, when the
 * failures began, the logging profiles and the sysdiagnose; and every value
 * the model polish must keep.
 */
export function missingValues(draft: string, report: Report): string[] {
  const missing: string[] = [];
  const need = (what: string, v: string | undefined) => v !== undefined && !draft.includes(v) && missing.push(`${what}: ${v}`);
  const mdm = report.domains.includes('mdm');
  for (const f of report.facts) {
    if (f.fact === 'server.topic' && mdm) need('the push topic', String(f.value));
    if (f.fact === 'server.push_token') need('the push token', String(f.value));
    if (f.fact === 'server.push_magic' && mdm) need('the PushMagic', String(f.value));
    if (f.fact === 'case.device' && f.attrs?.udid) need("the device's UDID", f.attrs.udid);
    if (f.fact === 'case.failed_push') {
      const a = f.attrs ?? {};
      if (f.at) need('a failed push time', a.zone === 'unknown' ? formatTime(f.at, 'unknown') : formatTime(f.at).replace(/ UTC.*$/, ' UTC'));
      need("APNs's answer", `APNs response: ${String(f.value)}`);
      need('an apns-id', a.apns_id);
      need('the UDID of a failed push', a.udid);
    }
    if (f.fact === 'case.failures_began') need('when failures began', formatTime(String(f.value), f.attrs?.zone));
  }
  if (!/^When pushes started failing: \S/m.test(draft)) missing.push('when failures began (the line)');
  if (!/^- Logging profiles installed: \S/m.test(draft)) missing.push('the logging profiles (the line)');
  if (!/^- Sysdiagnose taken: \S/m.test(draft)) missing.push('the sysdiagnose (the line)');
  if (!/^- \[[x ]\] A sysdiagnose taken after reproducing/m.test(draft)) missing.push('a fresh sysdiagnose (the checklist item)');
  for (const r of feedbackContext(report).required) need(`the required ${r.label}`, r.value);
  return missing;
}
