import type { Fact, Problem, Source } from '../facts/schema.js';

/** What a reader produces. Readers never throw for bad input: they return problems. */
export interface ReadResult {
  facts: Fact[];
  problems: Problem[];
}

/** One piece of evidence handed to a reader: a file, an archive member, or a paste. */
export interface Item {
  /** The input as the user named it (path, Slack file name, "pasted text"). */
  input: string;
  /** Path inside an archive, when the item is a member. */
  member?: string;
  /** Whether the item was pasted (facts get a "pasted" source) or is a file. */
  pasted?: boolean;
  /** Declared size in bytes, when known up front. */
  size?: number;
  /**
   * The text is log lines taken out of a collector's wrapper or a console's
   * export (text/unwrap.ts): read as a log, whatever its file is named
   * (a Datadog or Kibana `.csv`).
   */
  unwrapped?: boolean;
}

/** The base name used to recognise an item (member path or input path). */
export function itemName(item: Item): string {
  const p = item.member ?? item.input;
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Builds the provenance for a fact read from `item`, at an optional line. */
export function sourceOf(item: Item, line?: number): Source {
  if (item.pasted) return { kind: 'pasted', input: item.input, ...(line ? { line } : {}) };
  return { kind: 'file', input: item.input, ...(item.member ? { member: item.member } : {}), ...(line ? { line } : {}) };
}

export function problemOf(item: Item, code: string, message: string): Problem {
  return { input: item.input, ...(item.member ? { member: item.member } : {}), code, message };
}

/** Limits enforced on every input; all configurable. */
export interface Limits {
  /** Bytes read from one input (compressed). */
  maxInputBytes: number;
  /** Bytes decompressed from one archive, all members together. */
  maxExpandedBytes: number;
  /** Entries in one archive. */
  maxEntries: number;
  /** Bytes buffered for one structured member (plist, xml, csv, certificate). */
  maxMemberBytes: number;
  /** Bytes of text scanned from one log member or file. */
  maxLogBytes: number;
  /** Characters kept of one text line; the rest of an over-long line is skipped. */
  maxLineLength: number;
  /** Wall-clock milliseconds for one input. */
  timeoutMs: number;
  /** Objects in one binary plist. */
  maxPlistObjects: number;
  /**
   * Bytes of log lines handed to line readers from one input, all its files
   * and members together (lines a reader's prefilter passes over cost almost
   * nothing and are not counted). Past it the rest of the text is skipped,
   * with a problem naming the member where it ran out; structured members
   * are still read. An archive of 8 GB of push log lines reads in seconds.
   */
  maxTextBytes: number;
  /**
   * Bytes one input may write to the temp dir: a zip that arrives as a
   * stream or inside another archive is spooled there to be read, and a
   * small compressed input must not fill the disk.
   */
  maxSpoolBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxInputBytes: 2 * 1024 ** 3,
  // A sysdiagnose expands to 1-2 GB; inflating 8 GB took half of the 30 s any input may take on a busy machine.
  maxExpandedBytes: 4 * 1024 ** 3,
  maxEntries: 200_000,
  maxMemberBytes: 32 * 1024 ** 2,
  maxLogBytes: 256 * 1024 ** 2,
  maxLineLength: 64 * 1024,
  timeoutMs: 10 * 60_000,
  maxPlistObjects: 1_000_000,
  maxTextBytes: 64 * 1024 ** 2,
  maxSpoolBytes: 512 * 1024 ** 2,
};

export interface Progress {
  input: string;
  stage: 'downloading' | 'reading' | 'scanning' | 'done';
  bytesRead: number;
  totalBytes?: number;
  member?: string;
}

export interface ReadContext {
  limits: Limits;
  /** Called now and then while an input is read; must be cheap. */
  onProgress?: (p: Progress) => void;
  /** Aborts the read (time limit, user cancel). */
  signal?: AbortSignal;
}

/**
 * Reads a whole (size-capped) buffer: plists, XML, CSV, JSON, certificates,
 * provisioning profiles. `accepts` sees the base name and the first bytes.
 */
export interface BufferReader {
  id: string;
  kind: 'buffer';
  accepts(name: string, head: Buffer, item: Item): boolean;
  read(data: Buffer, item: Item, ctx: ReadContext): ReadResult | Promise<ReadResult>;
  /**
   * The same reading as `read`, given the bytes as they arrive instead of
   * whole: a reader of large tables offers it so that a member is never held
   * in memory whole. Used when every buffer reader of a member offers it.
   */
  stream?(item: Item, ctx: ReadContext): ByteSink;
}

/** Takes a member's bytes in order; `end` gives what `read` would have given for all of them. */
export interface ByteSink {
  /** The chunk is the caller's again once this returns (or its promise settles): keep a copy of what is needed later. */
  write(chunk: Buffer): void | Promise<void>;
  end(): ReadResult | Promise<ReadResult>;
}

/**
 * What a sink promises about the lines it ignores, so that a feeder may skip
 * them without decoding them. A line may be skipped only when it contains
 * none of `needles` and does not start with one of `startBytes`; the sink's
 * `line()` must then be a no-op for such a line (apart from counting it).
 * Handing a sink more lines than it asked for must always be harmless.
 */
export interface LinePrefilter {
  /** Printable ASCII substrings (no newline): every line the sink acts on contains at least one. */
  needles: readonly string[];
  /** First bytes of lines the sink always wants whatever they contain (e.g. JSON-style event lines). */
  startBytes?: readonly number[];
}

/** Consumes text line by line; many line readers may share one pass over a log. */
export interface LineSink {
  line(text: string, lineNo: number): void;
  end(): ReadResult;
  /**
   * Optional: lets a feeder skip lines this sink ignores. Only used when every
   * sink of a text declares one; feeders that do not know it deliver every line.
   */
  prefilter?: LinePrefilter;
  /**
   * Optional: while true, the sink wants every line (e.g. it is still
   * recognising the log format) and no prefilter is applied. Asked before
   * lines are skipped; once it has answered false it must stay false.
   */
  wantsEveryLine?(): boolean;
}

export interface LineReader {
  id: string;
  kind: 'lines';
  /** Whether this text (by name and its first bytes) can hold lines this reader knows. */
  accepts(name: string, head: Buffer, item: Item): boolean;
  open(item: Item, ctx: ReadContext): LineSink;
}

export type Reader = BufferReader | LineReader;
