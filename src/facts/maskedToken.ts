/**
 * A device token a log masked in its middle (`9a4c2e7f…7d9e0f`, `9a4c...0f`, `9a4c****9e0f`): what is left
 * of it is its first and last hex digits, written `<first>…<last>` in lower case.
 */
const MASKED = /^([0-9a-f]{4,40})…([0-9a-f]{4,40})$/;

/** Whether a token masked as `<first>…<last>` can be `token` (64 hex digits, any case). */
export function maskedTokenFits(masked: string, token: string): boolean {
  const m = MASKED.exec(masked.toLowerCase());
  const t = token.toLowerCase();
  return !!m && m[1].length + m[2].length < t.length && t.startsWith(m[1]) && t.endsWith(m[2]);
}
