/**
 * Where a fact came from. Every fact carries one, so that a report can say
 * "because line 812 of logs/…/system.log says so" rather than just asserting.
 * (Plain types, no schema library: every run reads facts, and loading a
 * validator for them would cost each run for nothing; readers build them.)
 */
export type Source =
  | {
      kind: 'file';
      /** The input as the user named it (a path on disk, a Slack file name). */
      input: string;
      /** Path of the member inside an archive, when the input is an archive. */
      member?: string;
      /** 1-based line number for text evidence. */
      line?: number;
    }
  | {
      kind: 'pasted';
      /** A label for the paste: "pasted text", "--topic", a Slack message permalink… */
      input: string;
      line?: number;
    }
  | {
      kind: 'answer';
      question: string;
      /** Who answered (a Slack user id, "terminal"); optional for the CLI. */
      by?: string;
      /** When they answered, ISO 8601; never the engine's clock. */
      at?: string;
    }
  | {
      kind: 'derived';
      /** Human description of the computation, e.g. "SHA-256 of server.push_token". */
      how: string;
      from: string[];
    };

export type FactValue = string | number | boolean;

/** A fact name: dotted lower case, e.g. "device.push_magic". */
export const FACT_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/**
 * One column of a fold: a plain array (as a stored case's JSON holds it), or blocks of entries
 * that are never copied as the column grows, read with get(i) (facts/foldColumns.ts: entry()).
 * Blocks write themselves to JSON as the plain array.
 */
export type FoldColumn<T> = T[] | { readonly length: number; get(i: number): T; toJSON(): T[] };

/**
 * What tells the observations folded into one fact apart, one column per field, in reading
 * order: index 0 is the fact itself. See facts/fold.ts.
 */
export interface FoldColumns {
  /**
   * `at` of each observation ('' when it has none). After the first, a number is the time as
   * milliseconds from the first observation's (a busy log's times cost no string each; facts/foldColumns.ts).
   */
  at: FoldColumn<string | number>;
  /** Line of each (0 when none). */
  line: FoldColumn<number>;
  /** Archive member of each ('' when none); absent when no observation names one. */
  member?: FoldColumn<string>;
  /** `source.how` of each, for derived facts. */
  how?: FoldColumn<string>;
  /** Attributes that name one occurrence (logged time, connection, command), one column each ('' when absent). */
  attrs?: Record<string, FoldColumn<string>>;
}

/** How many observations a folded fact stands for. */
export interface Fold {
  count: number;
  /** Earliest and latest `at` among them. */
  firstAt?: string;
  lastAt?: string;
  /** Every observation, for the derivations that need each one in order; never rendered whole. */
  each: FoldColumns;
}

/**
 * One observation. A fact name may occur many times (several stubs, several
 * log lines); contradicting values are kept side by side, never overwritten.
 */
export interface Fact {
  /** A name from the catalog, e.g. "device.push_magic". */
  name: string;
  value: FactValue;
  source: Source;
  /** When the observed thing happened (ISO 8601, UTC), for events in logs. */
  at?: string;
  /** Free-form qualifiers, e.g. { device: "UDID…", command: "InstallProfile" }. Strings only, for stable output. */
  attrs?: Record<string, string>;
  /** Present when this fact stands for several observations of the same thing (see facts/fold.ts). */
  fold?: Fold;
}

/** Something about an input that could not be used. Collected, never thrown. */
export interface Problem {
  input: string;
  member?: string;
  /** Stable machine code, e.g. "archive.truncated", "plist.malformed". */
  code: string;
  message: string;
}

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
  /**
   * Derived once per log, so a bundle of many logs gives many of them: folded like observations
   * (facts/fold.ts). Other derived facts are never folded (each failed push stays its own line).
   */
  perLog?: boolean;
}

export const DOMAINS = ['mdm', 'apns', 'notnow', 'securemail'] as const;
export type Domain = (typeof DOMAINS)[number];
