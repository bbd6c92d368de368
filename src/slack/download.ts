import { Readable } from 'node:stream';

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

export type DownloadErrorCode = 'too_large' | 'login_page' | 'http' | 'redirects' | 'host' | 'no_url' | 'network';

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

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

async function fetchOnce(url: URL, opts: DownloadOptions): Promise<Response> {
  const doFetch = opts.fetchImpl ?? fetch;
  // Follow redirects by hand: fetch would drop (or worse, forward) the bearer
  // on a cross-origin hop; we re-send it only to Slack's hosts.
  let current = url;
  for (let hop = 0; hop <= 5; hop++) {
    const headers: Record<string, string> = {};
    if (opts.tokenHosts(current)) headers.authorization = `Bearer ${opts.botToken}`;
    else if (hop === 0) throw new DownloadError('host', `the file's address (${current.origin}) is not a Slack host over https, so pushcheck did not send its token there`);
    const res = await doFetch(current, { headers, redirect: 'manual', ...(opts.signal ? { signal: opts.signal } : {}) });
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
 * redirects, the size cap from the metadata, from Content-Length and while
 * streaming, and Slack's HTML login page recognised as the missing
 * files:read scope. Retries 429 / 5xx a few times with a short backoff.
 *
 * A file that grows past the cap while streaming (its metadata under-reported
 * it) is not an error: the stream ends cleanly after the first maxBytes, so
 * the readers keep what those bytes held, and `cut()` then says so.
 */
export async function openSlackFile(file: SlackFile, opts: DownloadOptions): Promise<{ stream: Readable; size?: number; cut: () => DownloadError | undefined }> {
  const name = file.name ?? file.title ?? file.id;
  if (file.size !== undefined && file.size > opts.maxBytes)
    throw new DownloadError('too_large', `${name} is ${mb(file.size)}, over the ${mb(opts.maxBytes)} limit (PUSHCHECK_MAX_FILE_MB)`);
  const url = file.url_private_download ?? file.url_private;
  if (!url) throw new DownloadError('no_url', `Slack gave no download address for ${name}`);

  const attempts = opts.attempts ?? 3;
  let res: Response | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      res = await fetchOnce(new URL(url), opts);
    } catch (e) {
      if (e instanceof DownloadError || attempt >= attempts || opts.signal?.aborted)
        throw e instanceof DownloadError ? e : new DownloadError('network', `could not download ${name}: ${(e as Error).message}`);
      await sleep(250 * 2 ** attempt, opts.signal);
      continue;
    }
    if ((res.status === 429 || res.status >= 500) && attempt < attempts) {
      const retryAfter = Number(res.headers.get('retry-after'));
      await res.body?.cancel();
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 5000) : 250 * 2 ** attempt, opts.signal);
      continue;
    }
    break;
  }
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
  const total = file.size ?? (Number.isFinite(declared) && declared > 0 ? declared : undefined);
  if (total !== undefined && total > opts.maxBytes) {
    await res.body?.cancel();
    throw new DownloadError('too_large', `${name} is ${mb(total)}, over the ${mb(opts.maxBytes)} limit (PUSHCHECK_MAX_FILE_MB)`);
  }
  if (!res.body) throw new DownloadError('http', `Slack sent an empty answer for ${name}`);

  let cut: DownloadError | undefined;
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  const { maxBytes, onBytes } = opts;
  // Leaving this loop early (the cap is reached, or the reader stopped and
  // destroyed the stream) destroys the response, closing the connection to Slack.
  async function* capped(): AsyncGenerator<Buffer> {
    let read = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
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
  }
  return { stream: Readable.from(capped(), { objectMode: false }), ...(total !== undefined ? { size: total } : {}), cut: () => cut };
}
