/**
 * Answers whose fix is the provider's (or the MDM server's), never Apple's: 429 TooManyRequests (too many
 * pushes to one token too fast: send fewer) and 400 IdleTimeout (APNs closed a connection the sender left
 * idle: reconnect and send again). Neither is a failed push to file. Any 429 is the sender's pace, whatever
 * its reason (the other one, TooManyProviderTokenUpdates, is its token renewed too often), so a 429 logged
 * without its reason is not filed either.
 */
const PROVIDER_PACE = new Set(['TooManyRequests', 'IdleTimeout', '429']);

/** Whether an APNs answer (its value as read, its status and reason where logged) is the sender's pace. */
export function isProviderPace(value: string, status?: string, reason?: string): boolean {
  return PROVIDER_PACE.has(value) || PROVIDER_PACE.has(reason ?? '') || status === '429' || /^429\b/.test(value);
}
