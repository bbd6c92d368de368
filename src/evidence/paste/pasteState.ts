import { checkValue, type ValueKind } from './values.js';
import type { Side } from './side.js';

export type PastedKind = ValueKind | 'apns_id';

export interface PastedValue {
  kind: PastedKind;
  side: Side;
  /** The normalised value, or for masked / garbled ones the text as pasted. */
  value: string;
  line: number;
  /** How it was written, for provenance: "key=value", "plutil -p", "PlistBuddy | xxd", "bare", "prose", "certificate subject". */
  form: string;
  /** What a topic is: the one a push certificate carries, or the one devices enrolled with. */
  role?: 'certificate' | 'enrolled';
  state: 'ok' | 'masked' | 'garbled';
  /** Why a masked or garbled value cannot be used. */
  why?: string;
}

export interface PasteIssue {
  line: number;
  /** The key as the user wrote it, e.g. "token=" or "--token". */
  key: string;
  why: string;
}

export interface Context {
  /** Side of the current section (a "Server:" or "MDM says:" heading). */
  section: Side;
  /** A device command was run (plutil, PlistBuddy, xxd): its output follows, until a blank line. */
  command: boolean;
  /** What that command (or a "PushMagic from nanomdm:" line) prints, for bare output lines. */
  expect?: ValueKind;
  /** Side of a value announced on the line before ("token from the DB:" then the token). */
  expectSide?: Side;
  /** Hex lines waiting to be joined (xxd -p without -c 32 wraps at 60 digits). */
  hex?: { text: string; line: number };
  /** A plutil -p dictionary being printed: the line of its "{", how deep it is now, and its latest line. */
  plutil?: { from: number; depth: number; last: number; pairs: number };
}

/** plutil -p output that ends before its closing "}": the paste was cut after line `last`. */
export interface PasteCut {
  from: number;
  last: number;
}

/** What the parser has found so far and where it stands in the paste; the steps of reading a line share it. */
export class PasteState {
  readonly values: PastedValue[] = [];
  readonly issues: PasteIssue[] = [];
  /** plutil -p output cut before its end (set once the whole paste is read). */
  cut?: PasteCut;
  readonly ctx: Context = { section: 'unclear', command: false };

  /** The side of a value with nothing of its own to say: a device command's output, else the section's. */
  sideNow(): Side {
    return this.ctx.command ? 'device' : this.ctx.section;
  }

  /** Judges a value and keeps it (usable, masked or garbled); says so when an explicit key's value is not one. */
  take(
    kind: PastedKind,
    side: Side,
    raw: string,
    line: number,
    form: string,
    opts: { key?: string; explicit?: boolean; role?: PastedValue['role'] } = {},
  ): boolean {
    if (kind === 'apns_id') {
      const id = raw.replace(/^[`'"<]+|[`'">,;.)]+$/g, '');
      if (!/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/.test(id)) return false;
      this.values.push({ kind, side: 'unclear', value: id.toLowerCase(), line, form, state: 'ok' });
      return true;
    }
    const c = checkValue(kind, raw);
    const role = opts.role ? { role: opts.role } : {};
    if (c.ok) {
      this.values.push({ kind, side, value: c.value, line, form, state: 'ok', ...role });
      return true;
    }
    if (c.state !== 'invalid') this.values.push({ kind, side, value: raw.trim(), line, form, state: c.state, why: c.why, ...role });
    if (opts.explicit && opts.key) this.issues.push({ line, key: opts.key, why: c.why });
    return c.state !== 'invalid';
  }

  /** Leaves a device command's output and forgets any announced value. */
  endCommand(): void {
    this.ctx.command = false;
    this.ctx.expect = undefined;
  }
}
