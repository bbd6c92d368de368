import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import type { Escalation, Report } from '../report/types.js';

export function defaultPromptsDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts');
}

let cachedTemplate: string | undefined;
function template(): string {
  cachedTemplate ??= readFileSync(join(defaultPromptsDir(), 'feedback.md'), 'utf8');
  return cachedTemplate;
}

function values(report: Report, name: string): string[] {
  return [...new Set(report.facts.filter((f) => f.fact === name).map((f) => String(f.value)))];
}

const MISSING = '(not in the evidence yet)';

/** The context the feedback template is rendered with; every value comes from the report. */
export function feedbackContext(report: Report) {
  const topic = values(report, 'server.topic').concat(values(report, 'device.topic'));
  const token = values(report, 'server.push_token');
  const magic = values(report, 'server.push_magic').concat(values(report, 'device.push_magic'));
  const tokenHash = values(report, 'device.push_token_hash');
  const began = values(report, 'case.failures_began');
  const pushes = report.timeline
    .filter((e) => e.fact === 'server.push_sent' || e.fact === 'apns.response')
    .map((e) => ({
      at: e.at,
      response: [e.attrs?.status, e.attrs?.reason].filter(Boolean).join(' ') || String(e.value),
      source: e.source,
    }));
  const firstFailure = pushes[0]?.at;
  const profilesInstalled = values(report, 'device.logging_profiles').length > 0 || report.facts.some((f) => f.fact === 'device.log.redacted' && f.value === false);
  const sysdiagnose = values(report, 'device.sysdiagnose_at')[0];
  const checklist = [
    { item: 'Push topic used by the server', have: topic.length > 0 },
    { item: 'Push token used by the server', have: token.length > 0 },
    { item: 'Push magic used by the server', have: magic.length > 0 },
    { item: 'Times of failed pushes', have: pushes.length > 0 },
    { item: 'APNs responses to those pushes', have: pushes.some((p) => p.response !== 'true') },
    { item: 'When pushes started failing (not only the latest failure)', have: began.length > 0 || !!firstFailure },
    { item: 'Managed Configuration and APNS logging profiles installed on the device before reproducing', have: profilesInstalled },
    { item: 'A sysdiagnose taken after reproducing, within a day or two of the failures starting', have: !!sysdiagnose },
  ];
  const ruledOut = report.causes.filter((c) => c.status === 'ruled_out').map((c) => ({ title: c.title, because: c.because.join(' ').replace(/^Ruled out: /, '') }));
  const device = report.device;
  return {
    title: `Pushes to ${device.model ?? 'a managed device'} return 200 OK but never arrive`,
    summary:
      'The MDM server sends pushes that APNs accepts, but the device does not contact the server. ' +
      `The causes we know of have been checked against the evidence and ruled out (${ruledOut.length} of them, listed below).`,
    device: {
      model: device.model ?? MISSING,
      os: [device.platform, device.osVersion, device.osBuild && `(${device.osBuild})`].filter(Boolean).join(' ') || MISSING,
      sysdiagnoseAt: sysdiagnose ?? MISSING,
    },
    values: {
      topic: topic.join(' / ') || MISSING,
      token: token.join(' / ') || MISSING,
      magic: magic.join(' / ') || MISSING,
      tokenHash: tokenHash.join(' / ') || undefined,
    },
    failuresBegan: began[0] ?? firstFailure ?? MISSING,
    pushes,
    ruledOut,
    checklist: checklist.map((c) => ({ item: c.item, mark: c.have ? 'x' : ' ' })),
    missing: checklist.filter((c) => !c.have).map((c) => c.item),
  };
}

export function renderFeedbackDraft(report: Report): string {
  const ctx = feedbackContext(report);
  // No HTML escaping: the draft is plain text pasted into Feedback Assistant.
  return Mustache.render(template(), ctx, {}, { escape: (s: string) => s });
}

export function buildEscalation(report: Report): Escalation {
  return { feedbackDraft: renderFeedbackDraft(report), missing: feedbackContext(report).missing };
}
