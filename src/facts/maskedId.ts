/**
 * A device id (UDID) a log masked in its middle, written `<first>…<last>` (`00008110-…801E`): what is left of it
 * is its two ends. It can be any id that starts and ends as it does, and is longer than both ends together.
 */
const MASKED_ID = /^([0-9A-F][0-9A-F-]{3,})…([0-9A-F]{4,})$/;

/** Whether `v` is a masked device id as the readers keep one. */
export function isMaskedId(v: string): boolean {
  return MASKED_ID.test(v.trim().toUpperCase());
}

/** Whether a device id masked as `<first>…<last>` can be the whole id `id` (any case). */
export function maskedIdFits(masked: string, id: string): boolean {
  const m = MASKED_ID.exec(masked.trim().toUpperCase());
  const u = id.trim().toUpperCase();
  return !!m && !u.includes('…') && m[1].length + m[2].length < u.length && u.startsWith(m[1]) && u.endsWith(m[2]);
}

/** A logged device id masked in its middle (`00008110-…801E`, `00008110-****-801E`, `00008110-XXXX…801E`). */
const LOGGED_MASKED_ID = /^([0-9A-Fa-f]{4,}(?:-[0-9A-Fa-f]+)*-?)(?:-?(?:…|\.{2,3}|\*{2,}|X{2,}))+-?([0-9A-Fa-f]{4,})$/;

/** A logged masked device id as the readers keep it, `<first>…<last>` in upper case; undefined for any other value. */
export function maskedIdOf(v: string): string | undefined {
  // Most ids hold no mask at all: only those with one are looked at (a busy log names a device on every line).
  if (!/[….*X]/.test(v)) return undefined;
  const m = LOGGED_MASKED_ID.exec(v.trim());
  return m ? `${m[1]}…${m[2]}`.toUpperCase() : undefined;
}
