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

/**
 * The device an app push's answer went to, for telling a provider log's devices apart: its token (upper case),
 * or, for a token the line masked, the whole token of `known` (the log's or the case's) its two ends fit, else
 * its masked form (`MASKED 9a4c2e7f…7d9e0f`). Two masked forms with different ends are two devices.
 */
export function tokenKey(attrs: Readonly<Record<string, string>> | undefined, known: Iterable<string>): string | undefined {
  const token = attrs?.token?.trim();
  if (token) return token.toUpperCase();
  const masked = attrs?.token_masked;
  if (!masked) return undefined;
  for (const t of known) if (/^[0-9A-Fa-f]{64}$/.test(t) && maskedTokenFits(masked, t)) return t.toUpperCase();
  return `MASKED ${masked.toLowerCase()}`;
}
