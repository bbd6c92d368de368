import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import { isProviderPace } from './providerPace.js';
import { apnsAnswer, derived, untimedStatus, zoneAttr, type Index, type PushAnalysis } from './pushAnalysis.js';

/** Failed pushes kept as facts: the earliest and the latest (a long log can hold thousands). */
const KEEP_EARLIEST = 10;
const KEEP_LATEST = 40;

/** Pushes the device did not answer, each with APNs's answer: what Apple asks for. */
export function failedPushFacts(a: PushAnalysis, index: Index): Fact[] {
  const d = a.device;
  const untimed = untimedStatus(index);
  const out: Fact[] = [];
  const failed: Fact[] = [];
  if (d) {
    for (const v of a.verdicts) {
      if (v.verdict !== 'unanswered') continue;
      const logged = apnsAnswer(v.push);
      const answer = logged ?? (untimed ? { value: String(untimed.value), status: String(untimed.value) } : undefined);
      // A 429 (or IdleTimeout) is the server's pace: its fix is the server's, never a failed push for Apple.
      if (!answer || isProviderPace(answer.value, answer.status, answer.reason)) continue;
      const attrs: Record<string, string> = { domain: 'mdm', device: d.label, response: answer.value, push: v.push.where };
      const pa = v.push.fact.attrs ?? {};
      if (pa.apns_id) attrs.apns_id = pa.apns_id;
      if (pa.udid ?? pa.device) attrs.udid = (pa.udid ?? pa.device)!;
      if (answer.status) attrs.status = answer.status;
      if (answer.reason) attrs.reason = answer.reason;
      if (!logged && untimed) attrs.response_from = describeSource(untimed.source);
      Object.assign(attrs, zoneAttr(v.push));
      failed.push({
        name: 'case.failed_push',
        value: answer.value,
        at: v.push.fact.at,
        source: derived(
          v.refused
            ? `a push to ${d.label} (${v.push.where}) that APNs refused with ${answer.value}, so it never reached the device`
            : `a push to ${d.label} (${v.push.where}) that got no answer within ${a.windowMs / 1000} s, with APNs's answer ${answer.value}`,
          ['server.push_sent', 'mdm.apns_response', 'server.push_status'],
        ),
        attrs,
      });
    }
  }
  if (!failed.length && a.untimedFailure && untimed && !isProviderPace(String(untimed.value))) {
    out.push({
      name: 'case.failed_push',
      value: String(untimed.value),
      source: derived(`APNs's answer to a push that failed, stated without its time (${describeSource(untimed.source)})`, ['server.push_status']),
      attrs: {
        domain: 'mdm',
        response: String(untimed.value),
        status: String(untimed.value),
        response_from: describeSource(untimed.source),
        ...(d ? { device: d.label } : {}),
      },
    });
  }
  const kept = failed.length > KEEP_EARLIEST + KEEP_LATEST ? [...failed.slice(0, KEEP_EARLIEST), ...failed.slice(-KEEP_LATEST)] : failed;
  out.push(...kept);
  for (const f of kept)
    out.push({ name: 'case.failed_push_at', value: f.at!, at: f.at, source: f.source, attrs: { device: f.attrs!.device, ...zoneAttrOf(f) } });
  if (failed.length)
    out.push({
      name: 'case.failed_push_count',
      value: failed.length,
      source: derived(`pushes to ${d!.label} that got no answer, with APNs's answer on record`, ['server.push_sent']),
      attrs: { device: d!.label },
    });
  return out;
}

function zoneAttrOf(f: Fact): Record<string, string> {
  return f.attrs?.zone ? { zone: f.attrs.zone } : {};
}
