import type { Fact } from '../../facts/schema.js';
import { sourceOf, type Item, type LineReader } from '../types.js';

/** A payload is at most a few KB; a paste far larger than that is not one. */
const MAX_PAYLOAD_TEXT = 256 * 1024;
/** Keys that belong inside "aps"; at the top level they mean the dictionary was forgotten. */
const APS_KEYS = ['alert', 'badge', 'sound', 'content-available', 'mutable-content', 'category', 'thread-id'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A notification payload pasted as JSON (or a .json file holding one). Its
 * size is counted in UTF-8 bytes of the compact JSON a provider sends.
 */
export const payloadReader: LineReader = {
  id: 'apns.payload',
  kind: 'lines',
  accepts: (name, _head, item: Item) => !!item.pasted || /\.json$/i.test(name),
  open(item) {
    const lines: string[] = [];
    let size = 0;
    let first = 0;
    let over = false;
    return {
      line(text, n) {
        if (over) return;
        if (!first && text.trim()) first = n;
        size += text.length + 1;
        if (size > MAX_PAYLOAD_TEXT) {
          over = true;
          return;
        }
        lines.push(text);
      },
      end() {
        const facts: Fact[] = [];
        if (over) return { facts, problems: [] };
        const text = lines.join('\n').trim();
        if (!text.startsWith('{')) return { facts, problems: [] };
        const source = sourceOf(item, first || undefined);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (e) {
          // Only a would-be payload is worth a finding; other broken JSON is another reader's business.
          if (/"aps"\s*:/.test(text)) facts.push({ name: 'apns.payload_invalid', value: `not valid JSON: ${(e as Error).message}`, source });
          return { facts, problems: [] };
        }
        if (!isObject(value)) return { facts, problems: [] };
        // An APNs answer ({"reason": …}) or an MDM push ({"mdm": …}) is not an app payload.
        if ('reason' in value || 'mdm' in value) return { facts, problems: [] };
        const hasAps = isObject(value.aps);
        const strayApsKeys = APS_KEYS.filter((k) => k in value);
        if (!hasAps && !strayApsKeys.length) return { facts, problems: [] };
        const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
        facts.push({ name: 'apns.payload_bytes', value: bytes, source, attrs: { pasted_bytes: String(Buffer.byteLength(text, 'utf8')) } });
        facts.push({ name: 'apns.payload_has_aps', value: hasAps, source });
        if ('aps' in value && !hasAps) facts.push({ name: 'apns.payload_invalid', value: '"aps" is not a dictionary', source });
        else if (!hasAps) facts.push({ name: 'apns.payload_invalid', value: `${strayApsKeys.join(', ')} must sit inside an "aps" dictionary`, source });
        return { facts, problems: [] };
      },
    };
  },
};
