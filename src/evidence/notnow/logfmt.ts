/**
 * Splits one MDM server log line into key/value pairs.
 *
 * Three shapes occur in the wild:
 * - go-kit logfmt (MicroMDM, old NanoMDM): values with spaces are quoted.
 * - NanoLIB's stdlogfmt (current NanoMDM): `key=%v`, so values are NOT quoted
 *   and may hold spaces (`msg=no command retrieved`, `type=User Enrollment (Device)`).
 *   An unquoted value therefore runs up to the next ` key=`.
 * - One JSON object per line (Fleet and other servers built on NanoMDM with a
 *   JSON logger; MicroMDM webhook events written one per line).
 */

export interface LogRecord {
  /** Keys normalised: lower case, only letters and digits ("CommandUUID", "command_uuid" → "commanduuid"). */
  fields: Map<string, string>;
  /** Text before the first key (Go's log prefix "2021/05/30 12:26:18", "connected"). */
  prefix: string;
  json: boolean;
}

function normKey(k: string): string {
  return k.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const KEY_START = /(^|[\s,;])([A-Za-z_][A-Za-z0-9_.-]*)=/g;

/** Reads a Go-style quoted string starting at `at` (the opening quote); returns the value and the index after the closing quote. */
function readQuoted(line: string, at: number): { value: string; end: number } {
  let out = '';
  let i = at + 1;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      const n = line[i + 1];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      i += 2;
      continue;
    }
    if (c === '"') return { value: out, end: i + 1 };
    out += c;
    i++;
  }
  // Truncated line: keep what there is.
  return { value: out, end: line.length };
}

function parseLogfmt(line: string): LogRecord | null {
  const fields = new Map<string, string>();
  KEY_START.lastIndex = 0;
  let m = KEY_START.exec(line);
  if (!m) return null;
  const prefix = line.slice(0, m.index + m[1].length).trim();
  while (m) {
    const key = normKey(m[2]);
    const valueStart = m.index + m[0].length;
    let value: string;
    let resumeAt: number;
    if (line[valueStart] === '"') {
      const q = readQuoted(line, valueStart);
      value = q.value;
      resumeAt = q.end;
      KEY_START.lastIndex = resumeAt;
      m = KEY_START.exec(line);
    } else {
      KEY_START.lastIndex = valueStart;
      const next = KEY_START.exec(line);
      const end = next ? next.index + next[1].length : line.length;
      value = line.slice(valueStart, end).trim().replace(/,$/, '');
      m = next;
    }
    // The first occurrence wins: later duplicates are usually context repeated by a wrapper.
    if (key && !fields.has(key)) fields.set(key, value);
  }
  return { fields, prefix, json: false };
}

function flatten(obj: Record<string, unknown>, into: Map<string, string>, depth: number): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = normKey(k);
    if (!key) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      // Nested events (MicroMDM webhook "acknowledge_event": {...}) lend their keys to the record.
      if (depth < 2) flatten(v as Record<string, unknown>, into, depth + 1);
      continue;
    }
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      if (!into.has(key)) into.set(key, String(v));
    }
  }
}

function parseJsonLine(line: string): LogRecord | null {
  const t = line.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const fields = new Map<string, string>();
  flatten(parsed as Record<string, unknown>, fields, 0);
  return { fields, prefix: '', json: true };
}

export function parseLine(line: string): LogRecord | null {
  return parseJsonLine(line) ?? parseLogfmt(line);
}
