import type { Fact } from '../schema.js';
import type { Deriver } from './types.js';

const SUBSCRIPTION_STEPS = new Set(['registration', 'ews_subscription', 'listener_update', 'subscription']);

/** Orders events by their time, then where they were read, so "latest" never depends on input order. */
function byTime(a: Fact, b: Fact): number {
  const ta = a.at ?? '';
  const tb = b.at ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const la = a.source.kind === 'file' || a.source.kind === 'pasted' ? (a.source.line ?? 0) : 0;
  const lb = b.source.kind === 'file' || b.source.kind === 'pasted' ? (b.source.line ?? 0) : 0;
  return la - lb;
}

/** The outcome of the latest subscription step and of the latest validity check in CtxLog_APNS_Events.csv. */
const subscriptionState: Deriver = (index) => {
  const events = [...(index.get('securemail.apns_event') ?? [])].filter((f) => f.attrs?.outcome && f.attrs.outcome !== 'unknown').sort(byTime);
  const out: Fact[] = [];
  const latest = (pred: (f: Fact) => boolean) => events.filter(pred).at(-1);
  const sub = latest((f) => SUBSCRIPTION_STEPS.has(f.attrs?.operation ?? ''));
  if (sub)
    out.push({
      name: 'securemail.apns.last_subscription_status',
      value: sub.attrs!.outcome,
      ...(sub.at ? { at: sub.at } : {}),
      attrs: { operation: sub.attrs!.operation, status: sub.attrs!.status ?? '' },
      source: { kind: 'derived', how: 'outcome of the latest subscription step in the APNs events file', from: ['securemail.apns_event'] },
    });
  const val = latest((f) => f.attrs?.operation === 'validation');
  if (val)
    out.push({
      name: 'securemail.apns.last_validation_status',
      value: val.attrs!.outcome,
      ...(val.at ? { at: val.at } : {}),
      attrs: { status: val.attrs!.status ?? '' },
      source: { kind: 'derived', how: 'outcome of the latest subscription validity check in the APNs events file', from: ['securemail.apns_event'] },
    });
  return out;
};

const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);

/**
 * What the background fetch schedule says about pushes: how many arrived,
 * the last one, the longest silence between two, and whether only
 * BackgroundFetch wake-ups happen (the app runs, but pushes do not come).
 */
const wakeupSummary: Deriver = (index) => {
  const wakes = index.get('securemail.fetch.wakeup') ?? [];
  if (!wakes.length) return [];
  const src = (how: string) => ({ kind: 'derived' as const, how, from: ['securemail.fetch.wakeup'] });
  const pushes = wakes.filter((w) => w.value === 'remote_notification');
  const fetches = wakes.filter((w) => w.value === 'background_fetch');
  const out: Fact[] = [
    { name: 'securemail.fetch.remote_notifications', value: pushes.length, source: src('count of Remote Notification wake-ups') },
    { name: 'securemail.fetch.background_fetches', value: fetches.length, source: src('count of BackgroundFetch wake-ups') },
    {
      name: 'securemail.fetch.only_background_fetch',
      value: fetches.length > 0 && pushes.length === 0,
      source: src('BackgroundFetch wake-ups without any Remote Notification'),
    },
  ];
  const times = wakes
    .map((w) => w.at)
    .filter((t): t is string => !!t)
    .sort();
  const pushTimes = pushes
    .map((w) => w.at)
    .filter((t): t is string => !!t)
    .sort();
  if (times.length) {
    const first = times[0];
    const last = times[times.length - 1];
    out.push({
      name: 'securemail.fetch.span_seconds',
      value: seconds(first, last),
      source: src('time from the first to the last wake-up'),
      attrs: { from: first, to: last },
    });
    const quietSince = pushTimes.at(-1) ?? first;
    out.push({
      name: 'securemail.fetch.push_silence_seconds',
      value: seconds(quietSince, last),
      source: src(
        pushTimes.length
          ? 'time from the last Remote Notification to the last wake-up'
          : 'time from the first wake-up to the last, with no Remote Notification',
      ),
      attrs: { from: quietSince, to: last },
    });
  }
  if (pushTimes.length) {
    out.push({
      name: 'securemail.fetch.last_remote_notification',
      value: pushTimes.at(-1)!,
      at: pushTimes.at(-1)!,
      source: src('start of the latest Remote Notification wake-up'),
    });
    let gap = -1;
    let from = '';
    let to = '';
    for (let i = 1; i < pushTimes.length; i++) {
      const g = seconds(pushTimes[i - 1], pushTimes[i]);
      if (g > gap) [gap, from, to] = [g, pushTimes[i - 1], pushTimes[i]];
    }
    if (gap >= 0)
      out.push({
        name: 'securemail.fetch.largest_gap_seconds',
        value: gap,
        source: src('longest time between two consecutive Remote Notification wake-ups'),
        attrs: { from, to },
      });
  }
  return out;
};

/**
 * Whether the listener host policy is usable, and whether it is one of
 * Citrix's listener services (documented hosts are under xm.citrix.com,
 * e.g. us-east-1.mailboxlistener.xm.citrix.com).
 */
const listenerHost: Deriver = (index) =>
  (index.get('securemail.policy.listener_host') ?? []).flatMap((f) => {
    const raw = String(f.value).trim();
    const host = raw
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/[/:?#].*$/, '')
      .toLowerCase();
    const valid = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(host) && !/\s/.test(raw);
    const how = (what: string) => ({ kind: 'derived' as const, how: `${what} (${raw || 'empty'})`, from: ['securemail.policy.listener_host'] });
    return [
      { name: 'securemail.policy.listener_host_valid', value: valid, source: how('whether the listener host policy is a usable host name or URL') },
      {
        name: 'securemail.policy.listener_host_known',
        value: valid && host.endsWith('.xm.citrix.com'),
        source: how('whether the listener host is a Citrix listener service under xm.citrix.com'),
      },
    ];
  });

export const securemailDerivers: Deriver[] = [subscriptionState, wakeupSummary, listenerHost];
