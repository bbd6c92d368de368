import type { Fact } from '../../facts/schema.js';
import { sourceOf, type Item, type LineReader } from '../types.js';
import { isPushText, lineTime } from './textInput.js';
import { anyOf, inOrder, type LineTest } from '../inOrder.js';

/**
 * Text copied out of Apple's Push Notifications Console (developer account,
 * WWDC23): a push's Delivery Log, the device token validator's result, and a
 * token-authentication key's restrictions.
 *
 * Confirmed status names (Apple, "Viewing the status of push notifications
 * using Metrics and APNs"): Received by APNs; Delivered to Device (From
 * Storage); Stored - Device Offline; Stored - Power Considerations; Discarded
 * - Token Unregistered / Expired / Disabled (From Storage). The Delivery
 * Log's own sentences ("stored for device power considerations", "delivered
 * to device"), the validator's result line and the key page's Environment /
 * Topic lines are shaped from descriptions of the console (WWDC23 "Meet Push
 * Notifications Console"; developer news on team-scoped and topic-specific
 * keys), so the patterns below accept either wording.
 */
// `a[^\n]*b` is quadratic on a line that repeats `a`: inOrder says the same in one pass.
const STATUSES: [LineTest, string][] = [
  [anyOf(inOrder(/\bdelivered to (?:the )?device\b/i, /\bfrom storage\b/i), /\bdelivered from storage\b/i), 'delivered_from_storage'],
  [/\bdelivered to (?:the )?device\b/i, 'delivered'],
  [inOrder(/\bstored\b/i, /\b(?:device (?:is |was )?offline|offline device)\b|\bbecause the device (?:is|was) offline\b/i), 'stored_offline'],
  [inOrder(/\bstored\b/i, /\bpower\b/i), 'stored_power'],
  [inOrder(/\bdiscarded\b/i, /\b(?:token )?unregistered\b/i), 'discarded_unregistered'],
  [inOrder(/\bdiscarded\b/i, /\bexpired\b/i), 'discarded_expired'],
  [inOrder(/\bdiscarded\b/i, /\bdisabled\b/i), 'discarded_disabled'],
  [/\breceived by APNs\b/i, 'received'],
];
const KEY_PAGE = anyOf(/\bKey ID\b|Key Restriction/i, inOrder(/Keys?\b/i, /\b(?:Apple Push Notifications service|APNs)\b/i));
/** The metric names themselves are distinctive enough to read without other context. */
const EXACT_METRIC = /\b(?:Stored - (?:Device Offline|Power Considerations)|Discarded - (?:Token Unregistered|Expired|Disabled)|Delivered to Device)\b/;
const CONSOLE_CONTEXT = /Push Notifications Console|Delivery Log|apns-id|Notification ID|Device Token Validat|token validator|Key ID|Key Restriction/i;
const UUID = /\b([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\b/;
const ENV_WORD = /\b(development|sandbox|production)\b/i;

/** One cheap test before the others: most lines of a big log are none of this reader's business. */
const WORTH_A_LOOK = /apns-id|notification id|delivery log|console|validat|token|key|environment|topic|bundle id|deliver|stored|discard|received by/i;

const envOf = (w: string) => (/prod/i.test(w) ? 'production' : 'development');

/** What a saved copy of the console shows near its top; pasted text is always looked at. */
const CONSOLE_HEAD = /Push Notifications Console|Delivery Log|apns-id|Device Token Validat|Key ID|Stored - |Discarded - |Delivered to Device/i;

export const pushConsoleReader: LineReader = {
  id: 'apns.push-console',
  kind: 'lines',
  accepts: (name, head, item) => isPushText(name, head, item) && (!!item.pasted || CONSOLE_HEAD.test(head.toString('utf8'))),
  open(item: Item) {
    const facts: Fact[] = [];
    let context = false;
    let apnsId: string | undefined;
    let keyPage = false;
    return {
      line(text, n) {
        if (!WORTH_A_LOOK.test(text)) return;
        if (CONSOLE_CONTEXT.test(text)) context = true;
        if (KEY_PAGE.test(text)) keyPage = true;
        const id = /apns-id|Notification ID|Delivery Log/i.test(text) ? UUID.exec(text)?.[1] : undefined;
        if (id) apnsId = id.toLowerCase();
        const at = lineTime(text);
        const src = sourceOf(item, n);

        if (context || EXACT_METRIC.test(text)) {
          for (const [re, status] of STATUSES) {
            if (!re.test(text)) continue;
            const attrs: Record<string, string> = { status: text.trim().slice(0, 120) };
            const idHere = UUID.exec(text)?.[1]?.toLowerCase() ?? apnsId;
            if (idHere) attrs.apns_id = idHere;
            facts.push({ name: 'apns.console.delivery', value: status, source: src, ...(at ? { at } : {}), attrs });
            break;
          }
        }

        // "Device token is valid for the Development environment" / "Invalid token (Production)".
        if ((context || /validat/i.test(text)) && /\btoken\b/i.test(text) && /\b(?:in)?valid\b/i.test(text)) {
          const env = ENV_WORD.exec(text)?.[1];
          const valid = !/\binvalid\b|\bnot valid\b/i.test(text);
          if (env) {
            facts.push({ name: 'apns.console.token_validation', value: valid ? 'valid' : 'invalid', source: src, attrs: { environment: envOf(env) } });
            if (valid) facts.push({ name: 'apns.console.token_environment', value: envOf(env), source: src });
          }
        }

        // A key's restrictions, from the key's page: "Environment: Sandbox", "Environment: Sandbox & Production", "Topic: com.example.app".
        if (keyPage) {
          const env = /^\s*Environment\s*[:\t]\s*(.+)$/i.exec(text)?.[1];
          if (env) {
            const both = /sandbox|development/i.test(env) && /production/i.test(env);
            for (const e of both ? ['development', 'production'] : ENV_WORD.test(env) ? [envOf(ENV_WORD.exec(env)![1]!)] : [])
              facts.push({ name: 'apns.key_environment', value: e, source: src });
          }
          const topic = /^\s*(?:Topic|Bundle ID|Key Restriction)\s*[:\t]\s*(?:Topic[- ]specific\s*[:(]?\s*)?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\)?\s*$/i.exec(
            text,
          )?.[1];
          if (topic) facts.push({ name: 'apns.key_topic', value: topic, source: src });
        }
      },
      end() {
        return { facts, problems: [] };
      },
    };
  },
};
