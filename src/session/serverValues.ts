import { normalizeToken } from '../facts/normalize.js';
import type { Fact, Problem } from '../facts/schema.js';

export interface ServerValues {
  topic?: string;
  magic?: string;
  token?: string;
}

/**
 * The MDM server's own records, given as named values (/pushcheck topic=…
 * magic=… token=…, the modal's fields). Because the person says whose values
 * these are, they become server.* facts directly rather than going through
 * the side-guessing paste parser.
 */
export function serverValueFacts(values: ServerValues, label: string): { facts: Fact[]; problems: Problem[] } {
  const facts: Fact[] = [];
  const problems: Problem[] = [];
  const source = { kind: 'pasted' as const, input: label };
  const topic = values.topic?.trim();
  if (topic) facts.push({ name: 'server.topic', value: topic, source });
  const magic = values.magic?.trim();
  if (magic) facts.push({ name: 'server.push_magic', value: magic, source });
  const token = values.token?.trim();
  if (token) {
    const hex = normalizeToken(token);
    if (hex) facts.push({ name: 'server.push_token', value: hex, source });
    else problems.push({ input: label, code: 'paste.token_malformed', message: 'the token is neither 64 hex digits nor 32 bytes of base64' });
  }
  return { facts, problems };
}

const KEYS = ['topic', 'magic', 'token'] as const;

/**
 * Splits "topic=a magic=b token=<ab cd …>" into values. A value runs until the
 * next known key, so tokens with spaces survive. Returns the text that was
 * not a key=value pair as `rest`.
 */
export function parseKeyValues(text: string): { values: ServerValues; rest: string } {
  const values: ServerValues = {};
  const re = /\b(topic|magic|pushmagic|push_magic|token|push_token)\s*[=:]\s*(.*?)(?=\s+\b(?:topic|magic|pushmagic|push_magic|token|push_token)\s*[=:]|$)/gis;
  let rest = text;
  for (const m of text.matchAll(re)) {
    const raw = m[1]!.toLowerCase();
    const key = KEYS.find((k) => raw.includes(k))!;
    values[key] = m[2]!.trim().replace(/^["'`]|["'`]$/g, '');
    rest = rest.replace(m[0], ' ');
  }
  return { values, rest: rest.trim() };
}
