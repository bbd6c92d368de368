import type { ServerValueFlags } from '../evidence/paste/serverValues.js';

/** The MDM server's values as a person names them (/pushcheck topic=… magic=… token=…, the form's fields). */
export type ServerValues = ServerValueFlags;

const KEY = 'topic|magic|pushmagic|push_magic|token|push_token';

/**
 * Splits "topic=a magic=b token=<ab cd …>" into values. A value runs until the
 * next known key, so tokens with spaces survive. Text that is not a
 * key=value pair comes back as `rest` (read as a paste).
 */
export function parseKeyValues(text: string): { values: ServerValues; rest: string } {
  const values: ServerValues = {};
  const re = new RegExp(`(?:^|\\s)(${KEY})\\s*=\\s*(.*?)(?=\\s+(?:${KEY})\\s*=|$)`, 'gis');
  let rest = text;
  for (const m of text.matchAll(re)) {
    const raw = m[1]!.toLowerCase();
    const key = raw.includes('magic') ? 'magic' : raw.includes('token') ? 'token' : 'topic';
    values[key] = m[2]!.trim().replace(/^["'`]|["'`]$/g, '');
    rest = rest.replace(m[0], ' ');
  }
  return { values, rest: rest.trim() };
}
