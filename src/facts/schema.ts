import { z } from 'zod';

/**
 * Where a fact came from. Every fact carries one, so that a report can say
 * "because line 812 of logs/…/system.log says so" rather than just asserting.
 */
export const SourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file'),
    /** The input as the user named it (a path on disk, a Slack file name). */
    input: z.string(),
    /** Path of the member inside an archive, when the input is an archive. */
    member: z.string().optional(),
    /** 1-based line number for text evidence. */
    line: z.number().int().positive().optional(),
  }),
  z.object({
    kind: z.literal('pasted'),
    /** A label for the paste: "pasted text", "--topic", a Slack message permalink… */
    input: z.string(),
    line: z.number().int().positive().optional(),
  }),
  z.object({
    kind: z.literal('answer'),
    question: z.string(),
    /** Who answered (a Slack user id, "terminal"); optional for the CLI. */
    by: z.string().optional(),
    /** When they answered, ISO 8601; never the engine's clock. */
    at: z.string().optional(),
  }),
  z.object({
    kind: z.literal('derived'),
    /** Human description of the computation, e.g. "SHA-256 of server.push_token". */
    how: z.string(),
    from: z.array(z.string()),
  }),
]);
export type Source = z.infer<typeof SourceSchema>;

export const FactValueSchema = z.union([z.string(), z.number(), z.boolean()]);
export type FactValue = z.infer<typeof FactValueSchema>;

/**
 * One observation. A fact name may occur many times (several stubs, several
 * log lines); contradicting values are kept side by side, never overwritten.
 */
export const FactSchema = z.object({
  /** A name from the catalog, e.g. "device.push_magic". */
  name: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/),
  value: FactValueSchema,
  source: SourceSchema,
  /** When the observed thing happened (ISO 8601, UTC), for events in logs. */
  at: z.string().optional(),
  /** Free-form qualifiers, e.g. { device: "UDID…", command: "InstallProfile" }. Strings only, for stable output. */
  attrs: z.record(z.string(), z.string()).optional(),
});
export type Fact = z.infer<typeof FactSchema>;

/** Something about an input that could not be used. Collected, never thrown. */
export const ProblemSchema = z.object({
  input: z.string(),
  member: z.string().optional(),
  /** Stable machine code, e.g. "archive.truncated", "plist.malformed". */
  code: z.string(),
  message: z.string(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export type FactType = 'string' | 'number' | 'boolean' | 'time' | 'hex' | 'secret';

export interface FactDefinition {
  name: string;
  type: FactType;
  /** Domains a fact is evidence for; an observed fact makes its domains relevant. */
  domains: Domain[];
  description: string;
  /** Secrets are redacted in logs and in the "redacted" renderings. */
  secret?: boolean;
  /** Whether observing the fact alone makes its domain relevant (default true). */
  marksDomain?: boolean;
  /**
   * The domains one observation makes relevant, when that depends on what was observed (a NotNow
   * status, unlike an Idle, opens the NotNow domain; a push received on an app's topic is app push
   * evidence, one on an MDM topic is MDM evidence). Default: `domains`.
   */
  marks?: (f: Fact) => readonly Domain[];
  /**
   * The domains an observation points at when nothing in the case marks one: a lone MDM command
   * result is MDM evidence, although beside a NotNow server log its Acknowledged lines open nothing.
   */
  hints?: (f: Fact) => readonly Domain[];
  /** Many observations are normal (events, statuses); otherwise differing values are reported as a conflict. */
  multi?: boolean;
  /** Only ever computed from other facts: never asked for; "needed" lists `derivedFrom` instead. */
  derived?: boolean;
  derivedFrom?: string[];
}

export const DOMAINS = ['mdm', 'apns', 'notnow', 'securemail'] as const;
export type Domain = (typeof DOMAINS)[number];
