import type { DownloadOptions, SlackFile } from './download.js';
import { AGAIN, DownloadError, duration, size, stopped } from './downloadError.js';

/** Asking Slack for a file: the token only to Slack's hosts, redirects by hand, retries, and the answer checked before reading. */

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

/**
 * Asks Slack for the file, retrying 429 / 5xx / no answer with a short backoff. Waiting for Slack's
 * answer (headers) is idle time: a host that never answers is given up on after idleMs, and asked again.
 */
export async function fetchWithRetries(url: URL, name: string, opts: DownloadOptions, whole: AbortSignal, idleMs: number): Promise<Response> {
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
export async function checkAnswer(res: Response, file: SlackFile, name: string, maxBytes: number): Promise<number | undefined> {
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
