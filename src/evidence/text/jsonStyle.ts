import { fromJsonEvent, type LogLine } from './lineFormat.js';

const KEYS = new Set(['eventMessage', 'composedMessage', 'processImagePath', 'timestamp', 'subsystem', 'category', 'senderImagePath']);
const RE_KEY_LINE = /^\s*"(\w+)"\s*:\s*(.*?)\s*,?\s*$/;

/**
 * `log show --style json` pretty-prints each event over many lines
 * ("  \"eventMessage\" : \"…\","), one object after another inside one array.
 * This collects the few keys that matter and yields an event when its
 * object closes. Lines of other formats pass by untouched.
 */
export class JsonStyleEvents {
  private cur: Record<string, unknown> = {};
  private curLine = 0;
  private open = false;

  /**
   * Feeds one line. `consumed` says the line belonged to this format (the
   * caller then looks no further); `done` is an event whose object closed.
   */
  line(text: string, n: number): { consumed: boolean; done?: { event: LogLine; line: number } } {
    const c0 = text.charCodeAt(0);
    // Closing "}" / "},{" / "}]" at the start of a line ends an event.
    if (c0 === 125 /* } */ && text.length <= 3) return this.ended(this.flush());
    if ((c0 === 91 /* [ */ || c0 === 123) /* { */ && text.trimEnd().length <= 2) {
      const done = this.flush();
      this.open = true;
      return this.ended(done);
    }
    // Keys sit two spaces in; anything else is not this format.
    if (!(c0 === 32 && text.charCodeAt(2) === 34) && c0 !== 34) return { consumed: false };
    const m = RE_KEY_LINE.exec(text);
    if (!m) return { consumed: false };
    if (!KEYS.has(m[1])) return { consumed: this.open };
    try {
      const v: unknown = JSON.parse(m[2]);
      if (typeof v === 'string') {
        this.cur[m[1]] = v;
        if (m[1] === 'eventMessage' || m[1] === 'composedMessage') this.curLine = n;
        this.open = true;
      }
    } catch {
      // A value cut by the line limit: keep what the other keys give.
    }
    return { consumed: true };
  }

  private ended(done: { event: LogLine; line: number } | null): { consumed: boolean; done?: { event: LogLine; line: number } } {
    return done ? { consumed: true, done } : { consumed: true };
  }

  /** Whether the text looked like this format at all. */
  get seen(): boolean {
    return this.open;
  }

  flush(): { event: LogLine; line: number } | null {
    const o = this.cur;
    const line = this.curLine;
    this.cur = {};
    this.curLine = 0;
    if (!('eventMessage' in o) && !('composedMessage' in o)) return null;
    const ev = fromJsonEvent(o);
    return ev ? { event: { ...ev, format: 'json' }, line } : null;
  }
}
