import type { Problem } from '../../facts/schema.js';
import { problemOf, type Item, type LineReader, type LineSink, type ReadResult } from '../types.js';

/**
 * A web server's access log in the W3C extended format, as IIS writes it
 * for the site an MDM server runs on (`u_ex261120.log`): `#Software`,
 * `#Fields` directives, then a request a line, its fields apart by spaces
 * (a space in a value written as `+`), the date and time in UTC, to the
 * second. It shows which requests reached the server's check-in endpoint
 * and what the server answered, but neither which device sent each (the
 * UDID is in the request's body) nor any push or APNs answer: it gives no
 * fact, and says what it holds and what to send instead.
 */

/** The directives that open a W3C extended log (IIS writes `#Software` first; other servers may start at `#Version`). */
const W3C_HEAD = /^#(?:Software: Microsoft Internet Information Services|Version: 1\.0\r?$|Fields: date time )/m;
/** Apple's MDM client's User-Agent (`MDM/1.0`, macOS's `MDM-OSX/1.0`), as W3C writes it. */
const MDM_AGENT = /^MDM(?:-OSX)?\/\d/;
/** Lines longer than this are no request line of a W3C log: passed over. */
const MAX_LINE = 8000;

interface Columns {
  date: number;
  time: number;
  status: number;
  agent: number;
}

class AccessLogScan implements LineSink {
  private columns: Columns | undefined;
  private requests = 0;
  private mdm = 0;
  private first = '';
  private last = '';
  private readonly statuses = new Map<string, number>();

  constructor(private readonly item: Item) {}

  line(text: string): void {
    if (text.length > MAX_LINE) return;
    if (text.startsWith('#')) {
      if (text.startsWith('#Fields:')) {
        const names = text.slice(8).trim().split(/\s+/, 200);
        this.columns = { date: names.indexOf('date'), time: names.indexOf('time'), status: names.indexOf('sc-status'), agent: names.indexOf('cs(User-Agent)') };
      }
      return;
    }
    const c = this.columns;
    if (!c || !text.trim()) return;
    const f = text.split(' ', 200);
    this.requests++;
    if (c.agent < 0 || !MDM_AGENT.test(f[c.agent] ?? '')) return;
    this.mdm++;
    const at = c.date >= 0 && c.time >= 0 ? `${f[c.date]} ${f[c.time]}` : '';
    if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(at)) {
      if (!this.first) this.first = at;
      this.last = at;
    }
    const status = c.status >= 0 ? f[c.status] : undefined;
    if (status && /^\d{3}$/.test(status) && (this.statuses.has(status) || this.statuses.size < 20))
      this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  end(): ReadResult {
    const problems: Problem[] = [];
    const what = 'is a web server access log (IIS, W3C format, times in UTC)';
    const instead =
      "it names neither the device behind each request nor any push or APNs's answer: add the MDM server's own log (or its push and check-in lines) for the same times";
    if (!this.columns)
      problems.push(problemOf(this.item, 'input.web_access_log', `${what} without its #Fields line, so its requests cannot be read; ${instead}`));
    else if (!this.mdm)
      problems.push(
        problemOf(
          this.item,
          'input.web_access_log',
          `${what}: none of its ${this.requests} requests came from Apple's MDM client (User-Agent MDM/…), so no device reached this site in the time it covers, or the MDM server runs on another site; ${instead}`,
        ),
      );
    else {
      const answered = [...this.statuses].sort(([a], [b]) => a.localeCompare(b)).map(([s, k]) => `${s} ×${k}`);
      const span = this.first && this.last ? ` from ${this.first} to ${this.last} UTC` : '';
      problems.push(
        problemOf(
          this.item,
          'input.web_access_log',
          `${what}: ${this.mdm} of its ${this.requests} requests came from Apple's MDM client${span}${answered.length ? `, answered ${answered.join(', ')}` : ''}; ${instead}`,
        ),
      );
    }
    return { facts: [], problems };
  }
}

export const webAccessLogReader: LineReader = {
  id: 'text.web_access_log',
  kind: 'lines',
  accepts: (_name, head, item) => !item.unwrapped && W3C_HEAD.test(head.toString('latin1')),
  open: (item: Item) => new AccessLogScan(item),
};
