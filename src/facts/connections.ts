/**
 * Groups one enrollment's status reports into MDM "connections".
 *
 * Apple's NotNow rule speaks of the device's connection: the run of requests
 * from the device's poll (it reports Idle) until the server answers with no
 * command. Servers rarely log that boundary, so it is rebuilt:
 * - a status Idle opens a new connection (a device reports Idle only when it
 *   starts polling);
 * - a line saying the server had no command for the enrollment (NanoMDM's
 *   debug "no command retrieved") closes the current one;
 * - a pause longer than GAP_SECONDS between two reports also starts a new
 *   one: within a connection the device answers as soon as it has run the
 *   command, while a new poll needs a push or a change of conditions;
 * - a connection or session id logged by the server wins over all of this.
 * NanoMDM's trace_id names one HTTP request, not a connection, so it is not used.
 */
const GAP_SECONDS = 120;

interface Open {
  id: string;
  lastAt?: string;
  closed: boolean;
  /** The id before any same-second count, and how many connections opened under it so far. */
  base: string;
  opened: number;
}

export class ConnectionTracker {
  private open = new Map<string, Open>();
  private counters = new Map<string, number>();

  /** The connection a status report of `enrollment` belongs to. */
  assign(enrollment: string, status: string, at: string | undefined, lineNo?: number): string {
    const cur = this.open.get(enrollment);
    const gap = cur?.lastAt && at ? (Date.parse(at) - Date.parse(cur.lastAt)) / 1000 : 0;
    if (!cur || cur.closed || status === 'Idle' || gap > GAP_SECONDS) {
      const n = (this.counters.get(enrollment) ?? 0) + 1;
      this.counters.set(enrollment, n);
      const base = `${enrollment}@${at ?? (lineNo ? `line ${lineNo}` : `#${n}`)}`;
      // A server logging to the second can show two connections opened in the same second; they stay two.
      const opened = cur?.base === base ? cur.opened + 1 : 1;
      const id = opened > 1 ? `${base} (${opened})` : base;
      this.open.set(enrollment, { id, lastAt: at, closed: false, base, opened });
      return id;
    }
    if (at) cur.lastAt = at;
    return cur.id;
  }

  /** The connection currently open for `enrollment` (commands the server hands out belong to it). */
  current(enrollment: string): string | undefined {
    const cur = this.open.get(enrollment);
    return cur && !cur.closed ? cur.id : undefined;
  }

  /** The server had nothing more to send: the device hangs up. */
  close(enrollment: string): void {
    const cur = this.open.get(enrollment);
    if (cur) cur.closed = true;
  }
}
