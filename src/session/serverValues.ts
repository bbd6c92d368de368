import { serverValues } from '../evidence/paste/serverValues.js';
import type { Fact, Problem } from '../facts/schema.js';

export interface ServerValues {
  topic?: string;
  magic?: string;
  token?: string;
}

/**
 * The MDM server's own records, given as named values (/pushcheck topic=…
 * magic=… token=…, the modal's fields): the person says whose values these
 * are, so they become server.* facts (the core's serverValues, as for the
 * CLI's --topic/--magic/--token) rather than going through side-guessing.
 */
export function serverValueFacts(values: ServerValues, label: string): { facts: Fact[]; problems: Problem[] } {
  return serverValues(values, label);
}

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
