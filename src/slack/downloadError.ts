/** A download that failed, and the words the thread is told about sizes and limits. */

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

const MB = 1024 * 1024;
export const mb = (n: number) => `${(n / MB).toFixed(n < 10 * MB ? 1 : 0)} MB`;
/** A size as a person reads it, small ones too: "1.5 MB", "48 KB", "100 bytes". */
export const size = (n: number) => (n >= MB ? mb(n) : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`);

/** "30 s", "15 minutes": a limit as the thread reads it. */
export function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const min = Math.round(ms / 6000) / 10;
  return `${min} minute${min === 1 ? '' : 's'}`;
}

export const AGAIN = 'Share the file again in a few minutes; if it keeps failing, run `pushcheck diagnose` on it locally.';

/** The DownloadError a clock stopped the download with, if one did. */
export const stopped = (signal: AbortSignal): DownloadError | undefined =>
  signal.aborted && signal.reason instanceof DownloadError ? signal.reason : undefined;
