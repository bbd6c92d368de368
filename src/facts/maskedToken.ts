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
export function tokenKey(attrs: Readonly<Record<string, string>> | undefined, known: Iterable<string>, hiddenSeveral = false): string | undefined {
  const token = attrs?.token?.trim();
  if (token) return token.toUpperCase();
  if (attrs?.token_hidden) return hiddenKey(attrs, known, hiddenSeveral);
  const masked = attrs?.token_masked;
  if (!masked) return undefined;
  if (!Array.isArray(known)) return maskedKey(masked, known);
  // The callers pass one list of the log's tokens (one per answer) for every answer: a masked form is
  // looked up once per list, among its whole tokens once each (looking over every answer's token for
  // every masked answer was quadratic in a provider log that masks some lines and not others).
  let byMasked = maskedKeys.get(known);
  if (!byMasked) maskedKeys.set(known, (byMasked = { byEnds: wholeByEnds(known), keys: new Map() }));
  let key = byMasked.keys.get(masked);
  if (key === undefined) byMasked.keys.set(masked, (key = maskedKey(masked, byMasked.byEnds.get(endsOf(masked)) ?? [])));
  return key;
}

/**
 * Per list of known tokens: its whole tokens, in order, each once, by their first and last four hex digits (a
 * masked form keeps at least four at each end: only the tokens that start and end as it does can fit it, so
 * each masked form looks at a handful, not at every token of a log of thousands); and the keys of the masked
 * forms looked up.
 */
const maskedKeys = new WeakMap<readonly string[], { byEnds: Map<string, string[]>; keys: Map<string, string> }>();

/** A token's (or a masked form's) first and last four characters, in lower case: the key it is looked up by. */
function endsOf(t: string): string {
  return (t.slice(0, 4) + t.slice(t.length - 4)).toLowerCase();
}

function wholeByEnds(known: readonly string[]): Map<string, string[]> {
  const seen = new Set<string>();
  const out = new Map<string, string[]>();
  for (const t of known) {
    if (seen.has(t) || !/^[0-9A-Fa-f]{64}$/.test(t)) continue;
    seen.add(t);
    const ends = endsOf(t);
    const list = out.get(ends);
    if (list) list.push(t);
    else out.set(ends, [t]);
  }
  return out;
}

function maskedKey(masked: string, known: Iterable<string>): string {
  for (const t of known) if (/^[0-9A-Fa-f]{64}$/.test(t) && maskedTokenFits(masked, t)) return t.toUpperCase();
  return `MASKED ${masked.toLowerCase()}`;
}

/** The answers of a provider's log, as tokenKey and hiddenMayBeSeveral read them. */
interface Answer {
  value: unknown;
  attrs?: Readonly<Record<string, string>>;
}

/**
 * Whether the answers whose token the log hid whole (`token=****`, `[REDACTED]`) may be several devices': the
 * log names other tokens too (whole or masked in their middle), or the hidden ones differ in the device id
 * their lines name, or in what APNs answered. Otherwise they are read as one device's.
 */
export function hiddenMayBeSeveral(answers: readonly Answer[]): boolean {
  const hidden = answers.filter((f) => f.attrs?.token_hidden);
  if (!hidden.length) return false;
  if (answers.some((f) => f.attrs?.token || f.attrs?.token_masked)) return true;
  if (new Set(hidden.map((f) => f.attrs?.udid?.toUpperCase() ?? '')).size > 1) return true;
  return new Set(hidden.map((f) => String(f.value))).size > 1;
}

/**
 * A hidden token's device: one of several unknown devices (told apart by the device id its line names, else
 * by APNs's answer) when the log may hold several; else the one whole token the case names, or one unknown device.
 */
function hiddenKey(attrs: Readonly<Record<string, string>>, known: Iterable<string>, several: boolean): string {
  if (several) return `HIDDEN ${attrs.udid ? `device ${attrs.udid.toUpperCase()}` : `answered ${attrs.reason ?? attrs.status ?? '?'}`}`;
  const whole = [...new Set([...known].filter((t) => /^[0-9A-Fa-f]{64}$/.test(t)).map((t) => t.toUpperCase()))];
  return whole.length === 1 ? whole[0]! : 'HIDDEN';
}
