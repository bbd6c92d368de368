/** A thread stayed busy for longer than the caller was willing to wait. */
export class LockTimeoutError extends Error {
  constructor(
    readonly key: string,
    readonly waitedMs: number,
  ) {
    super(`this thread stayed busy for ${Math.round(waitedMs / 1000)} s (another file or answer was being added to it)`);
    this.name = 'LockTimeoutError';
  }
}

/**
 * The database named by a setting could not be opened or reached. The
 * message names the variable and where it points (never a password), so
 * that whoever runs the bot knows what to fix.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly variable: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${variable}: ${message}`, options);
    this.name = 'StoreUnavailableError';
  }
}
