/**
 * Values a JSON document read whole may hold. JSON.parse builds every value
 * before anyone looks at it, and 32 MB of `[{},{},…]` is eight million
 * objects (gigabytes); the evidence people send as one JSON document (MDM
 * webhook exports, payloads) holds thousands.
 */
export const MAX_JSON_VALUES = 200_000;

/**
 * Whether a JSON text holds more than `max` values, found in one pass
 * without parsing: every value but the first is preceded by `,` or opens
 * with `[` or `{` outside strings. Approximate for malformed text, which
 * JSON.parse then rejects anyway.
 */
export function jsonTooLarge(text: string, max = MAX_JSON_VALUES): boolean {
  let n = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x2c || c === 0x5b || c === 0x7b) {
      if (++n > max) return true;
    }
  }
  return false;
}
