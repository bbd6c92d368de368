import type { Fact } from '../../facts/schema.js';
import { sourceOf, type Item, type LineReader } from '../types.js';
import { APNS_REASONS } from './reasons.js';
import { lineTimeZoned } from './textInput.js';

/**
 * OneSignal's "Audience Activity" export of one message (the dashboard's CSV, or the export_events API's
 * .csv.gz once unpacked): one row per subscription, with when the message was sent, delivered, clicked
 * or failed, and a failure_message. OneSignal relays an iOS subscription's push to APNs, so a failed iOS
 * row says what OneSignal was told about that device's token; its delivered time (Confirmed Delivery,
 * reported by the app's SDK) says the device got it. Columns are found by name, in any order, as
 * OneSignal's export reference lists them (external_user_id, subscription_id, device_type, sent,
 * delivered, clicked, onesignal_id, failed, unsubscribed, failure_message).
 */

const HEADER_NEEDS = ['subscription_id', 'device_type', 'failure_message'];
/** An export holds one row per subscription of a message: tens of thousands are read, no more. */
const MAX_ROWS = 50_000;
const MAX_MESSAGE = 160;
/** Facts kept from one export: each names its own subscription, so none fold into another. */
const MAX_FAILURES = 500;
const MAX_DELIVERED = 100;

const IOS = /^(?:ios|iphone|ipad|apns|ios ?push)$/i;
const REASONS = new Map(APNS_REASONS.map((r) => [r.reason.toLowerCase(), r.reason]));

/** One CSV line's cells, quotes understood (a quoted cell may hold commas and doubled quotes). Linear. */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && !cell.trim()) quoted = true;
    else if (c === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** A cell's time: ISO or `2026-11-20 09:30:03 UTC`; none written with no zone is compared as UTC. */
function cellTime(cell: string | undefined): { at: string; zone?: string } | undefined {
  if (!cell) return undefined;
  const utc = /\s+UTC$/i.test(cell);
  const t = lineTimeZoned(utc ? `${cell.replace(/\s+UTC$/i, '')}Z` : cell);
  return t;
}

/** What a failure_message says, as a relay answer: an APNs reason passed on, or OneSignal's own words. */
function answerOf(message: string): { value: string; reason?: string } {
  const reason = REASONS.get(
    message
      .replace(/^\d{3}\s*[:-]?\s*/, '')
      .trim()
      .toLowerCase(),
  );
  if (reason === 'Unregistered') return { value: 'unregistered', reason };
  if (reason) return { value: 'apns_reason', reason };
  if (/\b(?:not ?registered|unregistered|uninstalled|unsubscribed)\b/i.test(message)) return { value: 'unregistered' };
  if (/\binvalid\b.{0,30}\btoken\b|\bbad\b.{0,20}\btoken\b/i.test(message)) return { value: 'invalid_registration' };
  return { value: 'other' };
}

interface Row {
  line: number;
  subscription: string;
  failed?: { at: string; zone?: string };
  message: string;
}

interface Delivered {
  line: number;
  subscription: string;
  at: { at: string; zone?: string };
}

export const oneSignalExportReader: LineReader = {
  id: 'apns.onesignal_export',
  kind: 'lines',
  accepts: (name, head, item) => {
    if (!item.pasted && !/\.(?:csv|txt)$/i.test(name)) return false;
    const first = head.toString('utf8').split(/\r?\n/, 1)[0]!.toLowerCase();
    return HEADER_NEEDS.every((h) => first.includes(h));
  },
  open(item: Item) {
    let columns: Map<string, number> | undefined;
    const subscriptions = new Set<string>();
    const failures: Row[] = [];
    const delivered: Delivered[] = [];
    let failuresSeen = 0;
    let rows = 0;
    return {
      line(text, n) {
        if (!columns) {
          const cells = csvCells(text.slice(0, 4096)).map((c) => c.toLowerCase());
          if (HEADER_NEEDS.every((h) => cells.includes(h))) columns = new Map(cells.map((c, i) => [c, i]));
          return;
        }
        if (++rows > MAX_ROWS || !text.trim()) return;
        const cells = csvCells(text.slice(0, 8192));
        const cell = (name: string) => {
          const i = columns!.get(name);
          return i === undefined ? undefined : cells[i];
        };
        if (!IOS.test(cell('device_type') ?? '')) return;
        const subscription = cell('subscription_id') ?? '';
        if (subscription) subscriptions.add(subscription);
        const message = (cell('failure_message') ?? '').slice(0, MAX_MESSAGE);
        const failed = cellTime(cell('failed'));
        if (message || failed) {
          if (++failuresSeen <= MAX_FAILURES) failures.push({ line: n, subscription, message, ...(failed ? { failed } : {}) });
          return;
        }
        const got = cellTime(cell('delivered'));
        if (got && delivered.length < MAX_DELIVERED) delivered.push({ line: n, subscription, at: got });
      },
      end() {
        // Several devices' rows: each failure is one device's; the case asks which device before any is its.
        const scope = subscriptions.size > 1 ? 'several' : 'one';
        const facts: Fact[] = failures.map((r) => {
          const a = answerOf(r.message);
          return {
            name: 'apns.relay_answer',
            value: a.value,
            source: sourceOf(item, r.line),
            ...(r.failed ? { at: r.failed.at } : {}),
            attrs: {
              relay: 'onesignal',
              scope,
              ...(r.message ? { code: r.message } : {}),
              ...(a.reason ? { reason: a.reason } : {}),
              ...(r.subscription ? { subscription: r.subscription } : {}),
              ...(r.failed?.zone ? { zone: r.failed.zone } : {}),
            },
          };
        });
        for (const d of delivered)
          facts.push({
            name: 'apns.relay_delivered',
            value: d.at.at,
            at: d.at.at,
            source: sourceOf(item, d.line),
            attrs: { relay: 'onesignal', scope, ...(d.subscription ? { subscription: d.subscription } : {}), ...(d.at.zone ? { zone: d.at.zone } : {}) },
          });
        const problems = [];
        const where = { input: item.input, ...(item.member ? { member: item.member } : {}) };
        if (rows > MAX_ROWS)
          problems.push({ ...where, code: 'apns.onesignal_export_truncated', message: `holds ${rows} rows; the first ${MAX_ROWS} were read` });
        else if (failuresSeen > MAX_FAILURES)
          problems.push({
            ...where,
            code: 'apns.onesignal_export_truncated',
            message: `holds ${failuresSeen} failed iOS rows; the first ${MAX_FAILURES} were kept`,
          });
        return { facts, problems };
      },
    };
  },
};
