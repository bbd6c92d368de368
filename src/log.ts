import { pino, type Logger } from 'pino';
import { REDACTED, showSecret, type SecretKind } from './facts/secrets.js';

/**
 * Structured logging (pino) that never writes a secret. Two layers: known
 * key names are censored by pino's redaction, and every string that reaches
 * a log line is scrubbed for shapes that are secrets wherever they appear
 * (Slack tokens, 64-hex push tokens, UUID-shaped PushMagic), because error
 * messages and pasted text can carry them under any key.
 */
const SECRET_PATTERNS: [RegExp, SecretKind][] = [
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, 'other'], // bot, user, config tokens
  [/\bxapp-[A-Za-z0-9-]+/g, 'other'], // app-level token
  [/\b[0-9a-fA-F]{64}\b/g, 'token'], // push tokens and their hashes
  [/<[0-9a-fA-F]{8}(?: ?[0-9a-fA-F]{8}){7}>/g, 'token'], // tokens as Apple prints them
  [/\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b/g, 'magic'], // PushMagic
  [/\b[0-9a-fA-F]{8}(?: [0-9a-fA-F]{8}){7}\b/g, 'token'], // tokens as hex in groups, without the brackets
  [/(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=(?![A-Za-z0-9+/=])/g, 'token'], // 32-byte tokens in base64, as TokenUpdate carries them
  // A PushMagic (or token) is any string the server chose: whatever follows its key, also inside JSON.
  [/(?<=(?:push_?magic|magic|push_?token|token)\\?"?\s*[:=]\s*\\?"?)[^\s"\\,;}]+/gi, 'magic'],
  [/\bBearer\s+\S+/gi, 'other'],
];

/** Text as a log line may show it: every secret-shaped string as the log audience sees it (nothing of it). */
export function scrub(text: string): string {
  let out = text;
  for (const [re, kind] of SECRET_PATTERNS) out = out.replace(re, (m) => showSecret(m, kind, 'log'));
  return out;
}

const SECRET_KEYS = /^(token|bot_?token|app_?token|signing_?secret|authorization|magic|push_?magic|pushmagic|push_?token|secret|password)$/i;

/** Deep copy with secrets removed; cycles and depth are bounded. */
function scrubValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrub(value.message),
      ...(value.stack ? { stack: scrub(value.stack) } : {}),
      ...((value as { code?: unknown }).code ? { code: (value as { code?: unknown }).code } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? REDACTED : scrubValue(v, depth + 1, seen);
  return out;
}

export interface LogOptions {
  level?: string;
  /** Where lines go; a test passes a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LogOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { app: 'pushcheck' },
      redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization', 'botToken', 'appToken', 'signingSecret'], censor: REDACTED },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrubValue(a)) as Parameters<typeof method>);
        },
      },
    },
    (opts.destination ?? process.stdout) as pino.DestinationStream,
  );
}

export type { Logger };
