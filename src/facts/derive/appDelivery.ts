import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import { duration, gapMs, iso, momentOf } from '../time.js';
import type { Deriver } from './types.js';

/**
 * An app push APNs accepted that the device's own apsd log shows arriving:
 * "Received message for enabled topic '<the app's topic>'" within the answer
 * window after the provider's 200. Such a push reached the device; it is no
 * failed push for Apple (TN2265 "Observing Push Status Messages": that line
 * means the device received the notification). The times must share a clock
 * (both with a zone): a zone-less stamp proves nothing here.
 */

type Index = ReadonlyMap<string, readonly Fact[]>;

/** The topics the app's pushes go out on, as the evidence names them. */
function appTopics(index: Index): Set<string> {
  const out = new Set<string>();
  for (const name of ['apns.topic', 'apns.topic_bundle', 'app.bundle_id', 'cert.topic'])
    for (const f of index.get(name) ?? []) if (!String(f.value).startsWith('com.apple.mgmt.')) out.add(String(f.value));
  return out;
}

/** The receipt on the device that answers an accepted app push, if the evidence holds one. */
export function receiptOf(response: Fact, index: Index, windowMs: number | undefined): Fact | undefined {
  if (!windowMs || response.attrs?.status !== '200' || !response.at) return undefined;
  const sent = momentOf(response);
  if (!sent) return undefined;
  const topics = appTopics(index);
  for (const r of index.get('device.log.push_received') ?? []) {
    const topic = r.attrs?.topic;
    if (!topic || !topics.has(topic) || !r.at) continue;
    const got = momentOf(r);
    const gap = got && gapMs(sent, got);
    if (gap && gap.most >= 0 && gap.least <= windowMs) return r;
  }
  return undefined;
}

export const appPushReceived: Deriver = (index, params = {}) => {
  const windowMs = params.pushAnswerWindowSeconds ? params.pushAnswerWindowSeconds * 1000 : undefined;
  const out: Fact[] = [];
  for (const f of index.get('apns.response') ?? []) {
    const r = receiptOf(f, index, windowMs);
    if (!r) continue;
    const gap = Math.max(0, Date.parse(r.at!) - Date.parse(f.at!));
    const later = gap < 1000 ? 'within a second' : `${duration(gap)} later`;
    const id = f.attrs?.apns_id ? ` (apns-id ${f.attrs.apns_id})` : '';
    out.push({
      name: 'apns.push_reached_device',
      value: r.at!,
      at: r.at,
      source: {
        kind: 'derived',
        how: `APNs accepted the push of ${iso(Date.parse(f.at!))}${id} and apsd received a message for ${r.attrs!.topic} ${later} (${describeSource(r.source)})`,
        from: ['apns.response', 'device.log.push_received'],
      },
      // The token the push went to: once the case names its token, a receipt after another token's push is not the case's.
      attrs: {
        topic: r.attrs!.topic!,
        pushed_at: f.at!,
        ...(f.attrs?.apns_id ? { apns_id: f.attrs.apns_id } : {}),
        ...(f.attrs?.token ? { token: f.attrs.token } : {}),
      },
    });
  }
  return out;
};
