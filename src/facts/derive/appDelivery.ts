import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import { duration, gapMs, iso, type Moment, momentOf } from '../time.js';
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

/**
 * The receipt on the device that answers an accepted app push, if the evidence holds one: the first of the
 * device's receipts (in the evidence's order) for one of the app's topics whose time falls in the answer
 * window after the push. Built once per derivation: the app's topics and the receipts sorted by time are
 * read once, and each push looks only at the receipts near its own time (a provider's log answers a
 * hundred thousand pushes; looking over every topic and receipt for each was quadratic in the log).
 */
export function receiptFinder(index: Index, windowMs: number | undefined): (response: Fact) => Fact | undefined {
  let near: ((sent: Moment) => Fact | undefined) | undefined;
  return (response) => {
    if (!windowMs || response.attrs?.status !== '200' || !response.at) return undefined;
    const sent = momentOf(response);
    if (!sent) return undefined;
    near ??= receiptsByTime(index, windowMs);
    return near(sent);
  };
}

function receiptsByTime(index: Index, windowMs: number): (sent: Moment) => Fact | undefined {
  const topics = appTopics(index);
  const all: { r: Fact; got: Moment; i: number }[] = [];
  (index.get('device.log.push_received') ?? []).forEach((r, i) => {
    const topic = r.attrs?.topic;
    if (!topic || !topics.has(topic) || !r.at) return;
    const got = momentOf(r);
    if (got) all.push({ r, got, i });
  });
  all.sort((a, b) => a.got.ms - b.got.ms || a.i - b.i);
  return (sent) => {
    // A receipt can answer the push only if its time, to its resolution (a second at most), is at or after
    // the push's and at most the window after it: those lie between these bounds; gapMs decides.
    const from = sent.ms - 1000;
    const to = sent.ms + sent.res + windowMs;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid]!.got.ms < from) lo = mid + 1;
      else hi = mid;
    }
    let first: { r: Fact; i: number } | undefined;
    for (let k = lo; k < all.length && all[k]!.got.ms <= to; k++) {
      const c = all[k]!;
      if (first && c.i > first.i) continue;
      const gap = gapMs(sent, c.got);
      if (gap && gap.most >= 0 && gap.least <= windowMs) first = c;
    }
    return first?.r;
  };
}

export const appPushReceived: Deriver = (index, params = {}) => {
  const windowMs = params.pushAnswerWindowSeconds ? params.pushAnswerWindowSeconds * 1000 : undefined;
  const receiptOf = receiptFinder(index, windowMs);
  const out: Fact[] = [];
  for (const f of index.get('apns.response') ?? []) {
    const r = receiptOf(f);
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
