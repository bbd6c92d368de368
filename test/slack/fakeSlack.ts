import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';

/**
 * A small fake of Slack's Web API and file hosts on 127.0.0.1: records the
 * calls the bot makes and answers them as Slack would. Files are served
 * directly, behind a 302 to a second "CDN" origin, or as Slack's HTML
 * sign-in page (what a missing files:read scope looks like).
 */
export interface Call {
  method: string;
  args: Record<string, unknown>;
  /** When the fake received it (ms since the epoch). */
  at: number;
  /** What the fake answered (e.g. the ts of a posted message). */
  result?: Record<string, unknown>;
}

export interface Download {
  path: string;
  authorization?: string;
  host: string;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function parseArgs(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('json')) return raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
    out[k] = /^[[{]/.test(v)
      ? (() => {
          try {
            return JSON.parse(v) as unknown;
          } catch {
            return v;
          }
        })()
      : v;
  }
  return out;
}

export class FakeSlack {
  readonly calls: Call[] = [];
  readonly downloads: Download[] = [];
  readonly uploads: { fileId: string; content: string }[] = [];
  readonly files = new Map<string, { content: Buffer; contentType?: string }>();
  /** Files served from disk as they are read (bundles too large to hold in memory), by name. */
  private readonly diskFiles = new Map<string, { path: string; size: number }>();
  /** files.info answers, by file id. */
  readonly fileInfo = new Map<string, Record<string, unknown>>();
  /** Methods to fail: method (or "method:channel", for one channel only) → Slack error code or HTTP status. */
  readonly failures = new Map<string, string | number>();
  /** What the app posted to a slash command's response_url (`${url}/response`). */
  readonly responses: Record<string, unknown>[] = [];
  private server!: Server;
  private cdn!: Server;
  private seq = 0;
  url = '';
  cdnUrl = '';
  /** Files whose download stops after some bytes until released (a scan in flight to interrupt). */
  private readonly stalls = new Map<string, { afterBytes: number; released: Promise<void>; release: () => void }>();
  /** When set, apps.connections.open hands out this WebSocket URL. */
  socketUrl?: string;
  /** While true, Web API calls get their connection dropped without an answer (Slack unreachable). */
  unreachable = false;
  /** Methods answered with HTTP 429 and Retry-After (Slack's rate limit), `times` more calls (Infinity: for good). */
  private readonly rateLimits = new Map<string, { retryAfter: number; times: number }>();
  /** Files sent without Content-Length (chunked), so only the stream tells their size. */
  readonly unsized = new Set<string>();
  /** Files whose downloads get no answer at all (not even headers) until released. */
  private readonly silent = new Map<string, Promise<void>>();
  /** Web API calls answered only when released (a call still on its way to Slack), each hold taking the first call it matches. */
  private readonly holds: { method: string; match: (args: Record<string, unknown>) => boolean; take(c: Call): void; released: Promise<void> }[] = [];
  private readonly trickles = new Map<string, { bytes: number; everyMs: number }>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res, false));
    this.cdn = createServer((req, res) => void this.handle(req, res, true));
    await Promise.all([new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r)), new Promise<void>((r) => this.cdn.listen(0, '127.0.0.1', r))]);
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.cdnUrl = `http://127.0.0.1:${(this.cdn.address() as AddressInfo).port}`;
    return this;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.cdn.closeAllConnections();
    await Promise.all([new Promise((r) => this.server.close(r)), new Promise((r) => this.cdn.close(r))]);
  }

  /** A Slack file object pointing at this server. `via`: direct, redirect (302 to the CDN), login (HTML page). */
  addFile(id: string, name: string, content: Buffer | string, via: 'direct' | 'redirect' | 'login' = 'direct'): Record<string, unknown> {
    const buf = Buffer.isBuffer(content) ? content : Buffer.from(content);
    this.files.set(name, { content: buf });
    const path = via === 'direct' ? `/files/${name}` : via === 'redirect' ? `/redirect/${name}` : `/login/${name}`;
    const file = {
      id,
      name,
      title: name,
      size: buf.length,
      mimetype: 'application/octet-stream',
      url_private: `${this.url}${path}`,
      url_private_download: `${this.url}${path}?dl=1`,
    };
    this.fileInfo.set(id, file);
    return file;
  }

  /** A Slack file object for a file on disk, streamed when downloaded (a 320 MB bundle need not sit in memory). */
  addFileFromPath(id: string, name: string, path: string): Record<string, unknown> {
    const size = statSync(path).size;
    this.diskFiles.set(name, { path, size });
    const file = {
      id,
      name,
      title: name,
      size,
      mimetype: 'application/gzip',
      url_private: `${this.url}/files/${name}`,
      url_private_download: `${this.url}/files/${name}?dl=1`,
    };
    this.fileInfo.set(id, file);
    return file;
  }

  /**
   * The next downloads of `name` send `afterBytes` and then wait until the
   * returned function is called (a scan caught mid-file).
   */
  stall(name: string, afterBytes: number): () => void {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    this.stalls.set(name, { afterBytes, released, release });
    return () => {
      this.stalls.delete(name);
      release();
    };
  }

  /** The next `times` calls of `method` (or "method:channel") are answered 429 with `Retry-After: retryAfter` and `ratelimited`. */
  rateLimit(method: string, retryAfter: number, times = Infinity): void {
    this.rateLimits.set(method, { retryAfter, times });
  }

  clearRateLimits(): void {
    this.rateLimits.clear();
  }

  /** Downloads of `name` arrive `bytes` at a time, one piece every `everyMs` (a slow link: the read makes progress all along). */
  trickle(name: string, bytes: number, everyMs: number): void {
    this.trickles.set(name, { bytes, everyMs });
  }

  /** Downloads of `name` get no answer (no status, no headers) until the returned function is called. */
  noAnswer(name: string): () => void {
    let release!: () => void;
    this.silent.set(name, new Promise<void>((r) => (release = r)));
    return () => {
      this.silent.delete(name);
      release();
    };
  }

  /**
   * The first call of `method` whose arguments `match` is recorded when it arrives but answered only
   * when `release` is called: `held` resolves with it once it has arrived.
   */
  hold(method: string, match: (args: Record<string, unknown>) => boolean): { held: Promise<Call>; release: () => void } {
    let take!: (c: Call) => void;
    let release!: () => void;
    const held = new Promise<Call>((r) => (take = r));
    const released = new Promise<void>((r) => (release = r));
    this.holds.push({ method, match, take, released });
    return { held, release };
  }

  of(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Thread replies and summaries posted to one thread. */
  inThread(channel: string, threadTs: string): Call[] {
    return this.calls.filter(
      (c) =>
        (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
        c.args.channel === channel &&
        (c.args.thread_ts === threadTs || (c.args.ts !== undefined && this.threadOf.get(String(c.args.ts)) === threadTs)),
    );
  }

  private readonly threadOf = new Map<string, string>();

  /**
   * Polls until `check` holds. The default bound is the one the worker tests use: what is waited for
   * is mostly a file read and a case diagnosed in worker threads, which on a 2-core machine running
   * the whole suite beside other work (load 15-20) took over 5 s; a wait that holds returns at once.
   */
  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms; calls so far: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private json(res: ServerResponse, status: number, payload: Record<string, unknown>, call?: Call): void {
    if (call) call.result = payload;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(payload));
  }

  private async handle(req: IncomingMessage, res: ServerResponse, isCdn: boolean): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const download =
      req.method === 'GET' && (url.pathname.startsWith('/files/') || url.pathname.startsWith('/redirect/') || url.pathname.startsWith('/login/'));
    // On record as soon as it arrives: a client that gave up waiting may be gone before its request is read to the end.
    if (download)
      this.downloads.push({
        path: url.pathname,
        host: req.headers.host ?? '',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
    const raw = await body(req);
    if (download) {
      const name = decodeURIComponent(url.pathname.split('/').slice(2).join('/'));
      const silence = this.silent.get(name);
      if (silence) {
        await silence;
        return void res.destroy();
      }
      if (url.pathname.startsWith('/redirect/') && !isCdn) {
        res.writeHead(302, { location: `${this.cdnUrl}/files/${encodeURIComponent(name)}` });
        return void res.end();
      }
      if (url.pathname.startsWith('/login/')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end('<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to your workspace</body></html>');
      }
      const disk = this.diskFiles.get(name);
      if (disk && req.headers.authorization === 'Bearer xoxb-test-token') {
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(disk.size) });
        return void (await pipeline(createReadStream(disk.path, { highWaterMark: 1 << 20 }), res).catch(() => res.destroy()));
      }
      const f = this.files.get(name);
      // Slack's file host wants the bot token; the CDN takes a signed URL instead.
      if (!f || (!isCdn && req.headers.authorization !== 'Bearer xoxb-test-token')) {
        res.writeHead(404);
        return void res.end();
      }
      res.writeHead(200, {
        'content-type': f.contentType ?? 'application/octet-stream',
        ...(this.unsized.has(name) ? {} : { 'content-length': String(f.content.length) }),
      });
      const trickle = this.trickles.get(name);
      if (trickle) {
        for (let at = 0; at < f.content.length && !res.destroyed; at += trickle.bytes) {
          res.write(f.content.subarray(at, at + trickle.bytes));
          await new Promise((r) => setTimeout(r, trickle.everyMs));
        }
        return void res.end();
      }
      const stall = this.stalls.get(name);
      if (stall) {
        res.write(f.content.subarray(0, stall.afterBytes));
        await stall.released;
        return void res.end(f.content.subarray(stall.afterBytes));
      }
      return void res.end(f.content);
    }
    if (url.pathname.startsWith('/upload/')) {
      this.uploads.push({ fileId: url.pathname.slice('/upload/'.length), content: raw.toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('OK');
    }
    if (url.pathname === '/response') {
      this.responses.push(parseArgs(req, raw));
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('ok');
    }
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404);
      return void res.end();
    }
    if (this.unreachable) return void req.socket.destroy();
    const method = url.pathname.slice('/api/'.length);
    const args = parseArgs(req, raw);
    const call: Call = { method, args, at: Date.now() };
    this.calls.push(call);
    const hold = this.holds.findIndex((h) => h.method === method && h.match(args));
    if (hold >= 0) {
      const [h] = this.holds.splice(hold, 1);
      h!.take(call);
      await h!.released;
    }
    const limit = this.rateLimits.get(`${method}:${String(args.channel)}`) ?? this.rateLimits.get(method);
    if (limit && limit.times > 0) {
      limit.times--;
      call.result = { ok: false, error: 'ratelimited' };
      res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(limit.retryAfter) });
      return void res.end(JSON.stringify(call.result));
    }
    const failure = this.failures.get(`${method}:${String(args.channel)}`) ?? this.failures.get(method);
    if (typeof failure === 'number') return this.json(res, failure, { ok: false, error: 'fake_failure' });
    if (typeof failure === 'string') return this.json(res, 200, { ok: false, error: failure });
    switch (method) {
      case 'auth.test':
        return this.json(res, 200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'pushcheck' });
      case 'apps.connections.open':
        return this.json(res, 200, { ok: true, url: this.socketUrl });
      case 'chat.postMessage': {
        const ts = `1700001000.${String(++this.seq).padStart(6, '0')}`;
        this.threadOf.set(ts, String(args.thread_ts ?? ts));
        return this.json(res, 200, { ok: true, channel: args.channel, ts, message: { text: args.text, ts } }, call);
      }
      case 'chat.update':
        return this.json(res, 200, { ok: true, channel: args.channel, ts: args.ts });
      case 'views.open':
        return this.json(res, 200, { ok: true, view: { id: 'V1' } });
      case 'files.info': {
        const file = this.fileInfo.get(String(args.file));
        return file ? this.json(res, 200, { ok: true, file }) : this.json(res, 200, { ok: false, error: 'file_not_found' });
      }
      case 'files.getUploadURLExternal': {
        const id = `F_UP${++this.seq}`;
        return this.json(res, 200, { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal':
        return this.json(res, 200, { ok: true, files: (args.files as { id: string }[] | undefined)?.map((f) => ({ id: f.id })) ?? [] });
      default:
        return this.json(res, 200, { ok: true });
    }
  }
}
