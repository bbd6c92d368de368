import { Readable } from 'node:stream';
import type { ReadableStreamReadResult } from 'node:stream/web';
import { AGAIN, DownloadError, duration, mb, size, stopped } from './downloadError.js';
import { checkAnswer, fetchWithRetries } from './downloadRequest.js';

// Callers know a download's failure and its words by this module.
export { DownloadError, mb } from './downloadError.js';

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

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const DEFAULT_TOTAL_TIMEOUT_MS = 15 * 60_000;

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
  const progress: Progress = { read: 0 };
  const soFar = () => `${size(progress.read)}${progress.total !== undefined ? ` of ${size(progress.total)}` : ''}`;
  const clock = wholeDownloadClock(name, opts.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS, soFar, opts.signal);
  let res: Response;
  try {
    res = await fetchWithRetries(new URL(url), name, opts, clock.whole.signal, idleMs);
    progress.total = await checkAnswer(res, file, name, opts.maxBytes);
  } catch (e) {
    clock.finish();
    throw e;
  }
  const body = cappedBody(res.body!, { name, maxBytes: opts.maxBytes, idleMs, onBytes: opts.onBytes, progress, soFar, clock });
  return { stream: Readable.from(body.chunks(), { objectMode: false }), ...(progress.total !== undefined ? { size: progress.total } : {}), cut: body.cut };
}

/** Bytes read so far, and the size Slack said the file has. */
interface Progress {
  read: number;
  total?: number;
}

interface Clock {
  /** Aborted with the DownloadError of the clock that ran out, or the caller's reason. */
  whole: AbortController;
  /** Stops the clock and lets go of the caller's signal. */
  finish: () => void;
}

/** The whole download's clock: also stops a retry's wait, and the caller's signal stops it too. */
function wholeDownloadClock(name: string, totalMs: number, soFar: () => string, outer: AbortSignal | undefined): Clock {
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
  const onOuterAbort = () => whole.abort(outer!.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    whole,
    finish: () => {
      clearTimeout(wholeTimer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}

/**
 * The body of Slack's answer as chunks, cut at maxBytes (then `cut()` says
 * so), stopped by silence past idleMs or by the whole download's clock.
 */
function cappedBody(
  body: NonNullable<Response['body']>,
  r: { name: string; maxBytes: number; idleMs: number; onBytes: DownloadOptions['onBytes']; progress: Progress; soFar: () => string; clock: Clock },
): { chunks: () => AsyncGenerator<Buffer>; cut: () => DownloadError | undefined } {
  const { name, maxBytes, onBytes, progress, clock } = r;
  let cut: DownloadError | undefined;
  const reader = body.getReader();
  const next = () => nextChunk(reader, r);
  // Leaving this loop early (the cap is reached, a clock ran out, or the
  // reader stopped and destroyed the stream) cancels the response, closing
  // the connection to Slack.
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const { done, value } = await next();
        if (done) return;
        const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
        const room = maxBytes - progress.read;
        if (chunk.length > room) {
          if (room > 0) {
            progress.read = maxBytes;
            onBytes?.(progress.read, progress.total);
            yield chunk.subarray(0, room);
          }
          cut = new DownloadError('too_large', `${name} ${cutAtCapMessage(maxBytes)}`);
          return;
        }
        progress.read += chunk.length;
        onBytes?.(progress.read, progress.total);
        yield chunk;
      }
    } finally {
      clock.finish();
      await reader.cancel().catch(() => undefined);
    }
  }
  return { chunks, cut: () => cut };
}

/**
 * The next chunk from Slack. Silence past idleMs stops the whole download
 * (the response is tied to that signal, so the pending read fails with
 * the reason); so does the whole download's clock.
 */
async function nextChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  r: { name: string; idleMs: number; soFar: () => string; clock: Clock },
): Promise<ReadableStreamReadResult<Uint8Array>> {
  const idleTimer = setTimeout(
    () =>
      r.clock.whole.abort(
        new DownloadError(
          'idle_timeout',
          `the download of ${r.name} stalled: nothing arrived for ${duration(r.idleMs)} after ${r.soFar()}, so pushcheck stopped it and used nothing from the file. ${AGAIN}`,
        ),
      ),
    r.idleMs,
  );
  try {
    return await reader.read();
  } catch (e) {
    throw stopped(r.clock.whole.signal) ?? e;
  } finally {
    clearTimeout(idleTimer);
  }
}
