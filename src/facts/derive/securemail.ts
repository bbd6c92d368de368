import { atOf, lineAt, msOf } from '../fold.js';
import type { Fact } from '../schema.js';
import type { Deriver } from './types.js';

const SUBSCRIPTION_STEPS = new Set(['registration', 'ews_subscription', 'listener_update', 'subscription']);

interface Latest {
  event: Fact;
  /** ms since the epoch, -Infinity when untimed (untimed rows come first, as '' sorts first). */
  ms: number;
  line: number;
  i: number;
}

/** The latest observation an event stands for (a folded event stands for many rows): by time, then line. */
function latestOf(event: Fact): Latest {
  const line = (f: Fact) => (f.source.kind === 'file' || f.source.kind === 'pasted' ? (f.source.line ?? 0) : 0);
  if (!event.fold) return { event, ms: event.at ? Date.parse(event.at) : -Infinity, line: line(event), i: -1 };
  let best: Latest = { event, ms: -Infinity, line: -1, i: 0 };
  for (let i = 0; i < event.fold.count; i++) {
    const t = msOf(event, i);
    const ms = Number.isNaN(t) ? -Infinity : t;
    const l = lineAt(event, i);
    if (ms > best.ms || (ms === best.ms && l >= best.line)) best = { event, ms, line: l, i };
  }
  return best;
}

/** Orders events by their time, then where they were read, so "latest" never depends on input order. */
function byTime(a: Latest, b: Latest): number {
  return a.ms !== b.ms ? (a.ms < b.ms ? -1 : 1) : a.line - b.line;
}

/** The time of the observation `l` names, if it has one. */
function timeOf(l: Latest): { at?: string } {
  const at = l.i < 0 ? l.event.at : atOf(l.event, l.i);
  return at ? { at } : {};
}

/** The events file's "zone unknown" mark (Excel drops the zone when it re-saves the table), kept with its time. */
function zoneOf(l: Latest): { zone?: string } {
  return l.event.attrs?.zone === 'unknown' && timeOf(l).at ? { zone: 'unknown' } : {};
}

/** The outcome of the latest subscription step and of the latest validity check in CtxLog_APNS_Events.csv. */
const subscriptionState: Deriver = (index) => {
  const events = (index.get('securemail.apns_event') ?? [])
    .filter((f) => f.attrs?.outcome && f.attrs.outcome !== 'unknown')
    .map(latestOf)
    .sort(byTime);
  const out: Fact[] = [];
  const latest = (pred: (f: Fact) => boolean) => events.filter((l) => pred(l.event)).at(-1);
  const subLatest = latest((f) => SUBSCRIPTION_STEPS.has(f.attrs?.operation ?? ''));
  if (subLatest) {
    const sub = subLatest.event;
    out.push({
      name: 'securemail.apns.last_subscription_status',
      value: sub.attrs!.outcome,
      ...timeOf(subLatest),
      attrs: { operation: sub.attrs!.operation, status: sub.attrs!.status ?? '', ...zoneOf(subLatest) },
      source: { kind: 'derived', how: 'outcome of the latest subscription step in the APNs events file', from: ['securemail.apns_event'] },
    });
  }
  const valLatest = latest((f) => f.attrs?.operation === 'validation');
  if (valLatest) {
    const val = valLatest.event;
    out.push({
      name: 'securemail.apns.last_validation_status',
      value: val.attrs!.outcome,
      ...timeOf(valLatest),
      attrs: { status: val.attrs!.status ?? '', ...zoneOf(valLatest) },
      source: { kind: 'derived', how: 'outcome of the latest subscription validity check in the APNs events file', from: ['securemail.apns_event'] },
    });
  }
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
      // Written without a zone (the schedule re-saved in Excel): a wall clock, not UTC.
      ...(pushes.some((w) => w.at === pushTimes.at(-1) && w.attrs?.zone === 'unknown') ? { attrs: { zone: 'unknown' } } : {}),
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
