import { Readable } from 'node:stream';
import type { ReadableStreamReadResult } from 'node:stream/web';

/** The parts of a Slack file object a download needs. */
export interface SlackFile {
  id: string;
  name?: string;
  title?: string;
  size?: number;
  mimetype?: string;
  url_private?: string;
  url_private_download?: string;
  /** "check_file_info": the event carries a stub; call files.info for the rest. */
  file_access?: string;
}

export type DownloadErrorCode = 'too_large' | 'login_page' | 'http' | 'redirects' | 'host' | 'no_url' | 'network' | 'idle_timeout' | 'timeout';

/** A download that failed, with a message for the thread saying what to do. */
export class DownloadError extends Error {
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface DownloadOptions {
  botToken: string;
  /** Addresses that may receive the bot token (Slack's hosts over https, plus SLACK_API_URL's origin). */
  tokenHosts: (url: URL) => boolean;
  maxBytes: number;
  /** Called as bytes arrive (cheap; the caller throttles). */
  onBytes?: (read: number, total: number | undefined) => void;
  /** Attempts for 429 / 5xx / network errors before giving up (interactive: small). */
  attempts?: number;
  /** How long Slack may send nothing (no answer, or no bytes while pushcheck waits for them) before the download stops (default 30 s). */
  idleTimeoutMs?: number;
  /** How long the whole download may take, retries included (default 15 minutes). */
  totalTimeoutMs?: number;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

/**
 * Slack's own hosts (files.slack.com, files-origin.slack.com on Enterprise
 * Grid, …) over https only, so a redirect to plain http never carries the
 * token in clear; and the configured SLACK_API_URL's exact origin.
 */
export function slackTokenHosts(apiUrl?: string): (url: URL) => boolean {
  const extra = apiUrl ? new URL(apiUrl).origin : undefined;
  return (url) => (url.protocol === 'https:' && (url.hostname === 'slack.com' || url.hostname.endsWith('.slack.com'))) || url.origin === extra;
}

const MB = 1024 * 1024;
export const mb = (n: number) => `${(n / MB).toFixed(n < 10 * MB ? 1 : 0)} MB`;
/** A size as a person reads it, small ones too: "1.5 MB", "48 KB", "100 bytes". */
const size = (n: number) => (n >= MB ? mb(n) : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`);

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const DEFAULT_TOTAL_TIMEOUT_MS = 15 * 60_000;

/** "30 s", "15 minutes": a limit as the thread reads it. */
function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const min = Math.round(ms / 6000) / 10;
  return `${min} minute${min === 1 ? '' : 's'}`;
}

const AGAIN = 'Share the file again in a few minutes; if it keeps failing, run `pushcheck diagnose` on it locally.';

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

async function fetchOnce(url: URL, opts: DownloadOptions & { signal: AbortSignal }): Promise<Response> {
  const doFetch = opts.fetchImpl ?? fetch;
  // Follow redirects by hand: fetch would drop (or worse, forward) the bearer
  // on a cross-origin hop; we re-send it only to Slack's hosts.
  let current = url;
  for (let hop = 0; hop <= 5; hop++) {
    const headers: Record<string, string> = {};
    if (opts.tokenHosts(current)) headers.authorization = `Bearer ${opts.botToken}`;
    else if (hop === 0)
      throw new DownloadError('host', `the file's address (${current.origin}) is not a Slack host over https, so pushcheck did not send its token there`);
    const res = await doFetch(current, { headers, redirect: 'manual', signal: opts.signal });
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel();
      current = new URL(res.headers.get('location')!, current);
      continue;
    }
    return res;
  }
  throw new DownloadError('redirects', 'Slack redirected the download more than 5 times');
}

/** What happened to a file that grew past the cap while streaming (the reply and the summary say it). */
export function cutAtCapMessage(maxBytes: number): string {
  return `was cut at the ${mb(maxBytes)} limit (PUSHCHECK_MAX_FILE_MB): only its first ${mb(maxBytes)} were read`;
}

/**
 * Opens a Slack file for reading as a stream: bearer auth, manual
 * redirects, the size cap (against the larger of the file's metadata and
 * Content-Length, and while streaming), and Slack's HTML login page
 * recognised as the missing files:read scope. Retries 429 / 5xx / no answer
 * a few times with a short backoff.
 *
 * Two clocks stop a download that would otherwise hold its thread: Slack
 * sending nothing for `idleTimeoutMs` while pushcheck waits for it (no
 * answer, no headers, or a stalled body; time the readers take between
 * chunks does not count), and the whole download passing `totalTimeoutMs`.
 * Either one errors the stream with a DownloadError saying which.
 *
 * A file that grows past the cap while streaming (its metadata under-reported
 * it) is not an error: the stream ends cleanly after the first maxBytes, so
 * the readers keep what those bytes held, and `cut()` then says so.
 */
export async function openSlackFile(
  file: SlackFile,
  opts: DownloadOptions,
): Promise<{ stream: Readable; size?: number; cut: () => DownloadError | undefined }> {
  const name = file.name ?? file.title ?? file.id;
  if (file.size !== undefined && file.size > opts.maxBytes)
    throw new DownloadError('too_large', `${name} is ${mb(file.size)}, over the ${mb(opts.maxBytes)} limit (PUSHCHECK_MAX_FILE_MB)`);
  const url = file.url_private_download ?? file.url_private;
  if (!url) throw new DownloadError('no_url', `Slack gave no download address for ${name}`);

  const idleMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const totalMs = opts.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
  let read = 0;
  let total: number | undefined;
  const soFar = () => `${size(read)}${total !== undefined ? ` of ${size(total)}` : ''}`;
  // The whole download's clock: also stops a retry's wait.
  const whole = new AbortController();
  const wholeTimer = setTimeout(
    () =>
      whole.abort(
        new DownloadError(
          'timeout',
          `the download of ${name} took longer than ${duration(totalMs)} (${soFar()} had arrived), so pushcheck stopped it and used nothing from the file. ${AGAIN}`,
        ),
      ),
    totalMs,
  );
  wholeTimer.unref();
  const onOuterAbort = () => whole.abort(opts.signal!.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const finish = () => {
    clearTimeout(wholeTimer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  };
  let res: Response;
  try {
    res = await fetchWithRetries(new URL(url), name, opts, whole.signal, idleMs);
    total = await checkAnswer(res, file, name, opts.maxBytes);
  } catch (e) {
    finish();
    throw e;
  }
  const body = res.body!;

  let cut: DownloadError | undefined;
  const reader = body.getReader();
  const { maxBytes, onBytes } = opts;
  /**
   * The next chunk from Slack. Silence past idleMs stops the whole download
   * (the response is tied to that signal, so the pending read fails with
   * the reason); so does the whole download's clock.
   */
  const next = async (): Promise<ReadableStreamReadResult<Uint8Array>> => {
    const idleTimer = setTimeout(
      () =>
        whole.abort(
          new DownloadError(
            'idle_timeout',
            `the download of ${name} stalled: nothing arrived for ${duration(idleMs)} after ${soFar()}, so pushcheck stopped it and used nothing from the file. ${AGAIN}`,
          ),
        ),
      idleMs,
    );
    try {
      return await reader.read();
    } catch (e) {
      throw stopped(whole.signal) ?? e;
    } finally {
      clearTimeout(idleTimer);
    }
  };
  // Leaving this loop early (the cap is reached, a clock ran out, or the
  // reader stopped and destroyed the stream) cancels the response, closing
  // the connection to Slack.
  async function* capped(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const { done, value } = await next();
        if (done) return;
        const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
        const room = maxBytes - read;
        if (chunk.length > room) {
          if (room > 0) {
            read = maxBytes;
            onBytes?.(read, total);
            yield chunk.subarray(0, room);
          }
          cut = new DownloadError('too_large', `${name} ${cutAtCapMessage(maxBytes)}`);
          return;
        }
        read += chunk.length;
        onBytes?.(read, total);
        yield chunk;
      }
    } finally {
      finish();
      await reader.cancel().catch(() => undefined);
    }
  }
  return { stream: Readable.from(capped(), { objectMode: false }), ...(total !== undefined ? { size: total } : {}), cut: () => cut };
}

/** The DownloadError a clock stopped the download with, if one did. */
const stopped = (signal: AbortSignal): DownloadError | undefined => (signal.aborted && signal.reason instanceof DownloadError ? signal.reason : undefined);

/**
 * Asks Slack for the file, retrying 429 / 5xx / no answer with a short backoff. Waiting for Slack's
 * answer (headers) is idle time: a host that never answers is given up on after idleMs, and asked again.
 */
async function fetchWithRetries(url: URL, name: string, opts: DownloadOptions, whole: AbortSignal, idleMs: number): Promise<Response> {
  const attempts = opts.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const idle = new AbortController();
    const idleTimer = setTimeout(
      () =>
        idle.abort(
          new DownloadError(
            'idle_timeout',
            `Slack did not answer for ${duration(idleMs)} when pushcheck asked for ${name}${attempts > 1 ? ` (${attempt} tries)` : ''}, so it stopped waiting. ${AGAIN}`,
          ),
        ),
      idleMs,
    );
    const signal = AbortSignal.any([whole, idle.signal]);
    let res: Response;
    try {
      res = await fetchOnce(url, { ...opts, signal });
    } catch (e) {
      const clock = stopped(whole) ?? stopped(idle.signal);
      // A refusal of ours (a host not Slack's, too many redirects), the whole download's clock, or the caller stopping: no retry.
      if ((e instanceof DownloadError && e !== clock) || stopped(whole) || opts.signal?.aborted) throw e instanceof DownloadError ? e : (clock ?? e);
      if (attempt >= attempts) throw clock ?? new DownloadError('network', `could not download ${name}: ${(e as Error).message}`);
      await sleep(250 * 2 ** attempt, whole);
      continue;
    } finally {
      clearTimeout(idleTimer);
    }
    if ((res.status === 429 || res.status >= 500) && attempt < attempts) {
      const retryAfter = Number(res.headers.get('retry-after'));
      await res.body?.cancel();
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 5000) : 250 * 2 ** attempt, whole);
      if (stopped(whole)) throw stopped(whole);
      continue;
    }
    return res;
  }
}

/**
 * Slack's answer checked before anything is read: an error status, its HTML sign-in page (the
 * missing files:read scope), or a size over the cap. Returns the size: the larger of what the
 * file's metadata and the answer's headers say, since either may under-report.
 */
async function checkAnswer(res: Response, file: SlackFile, name: string, maxBytes: number): Promise<number | undefined> {
  if (!res.ok) {
    await res.body?.cancel();
    throw new DownloadError('http', `Slack answered ${res.status} when pushcheck downloaded ${name}`);
  }
  if ((res.headers.get('content-type') ?? '').toLowerCase().includes('text/html')) {
    await res.body?.cancel();
    throw new DownloadError(
      'login_page',
      `Slack sent a sign-in page instead of ${name}: the app is missing the files:read scope. Add it under OAuth & Permissions › Bot Token Scopes (manifest.yml has it) and reinstall the app.`,
    );
  }
  const declared = Number(res.headers.get('content-length'));
  const sizes = [file.size, Number.isFinite(declared) && declared > 0 ? declared : undefined].filter((n): n is number => n !== undefined);
  const total = sizes.length ? Math.max(...sizes) : undefined;
  if (total !== undefined && total > maxBytes) {
    await res.body?.cancel();
    const said = file.size !== undefined && total > file.size ? ` (Slack's file details said ${size(file.size)}, the download ${size(total)})` : '';
    throw new DownloadError('too_large', `${name} is ${size(total)}${said}, over the ${size(maxBytes)} limit (PUSHCHECK_MAX_FILE_MB)`);
  }
  if (!res.body) throw new DownloadError('http', `Slack sent an empty answer for ${name}`);
  return total;
}
