/**
 * Words to meanings for the subscription steps seed 003 describes: get the
 * tenant ID, register the device with the Citrix listener, subscribe to EWS
 * push on Exchange, update the listener with that subscription, and the
 * periodic validity check. The events file's exact wording is not public,
 * so operations and statuses are recognised by their key words.
 */
export type Operation = 'tenant_id' | 'validation' | 'registration' | 'ews_subscription' | 'listener_update' | 'subscription' | 'other';

const OPERATIONS: [Operation, RegExp][] = [
  ['tenant_id', /tenant/i],
  ['validation', /valid|verif|check/i],
  ['registration', /regist/i],
  ['listener_update', /update/i],
  ['ews_subscription', /\bews\b|exchange/i],
  ['listener_update', /listener/i],
  ['subscription', /subscri|push|apns/i],
];

export function classifyOperation(text: string): Operation {
  return OPERATIONS.find(([, re]) => re.test(text))?.[0] ?? 'other';
}

export type Outcome = 'success' | 'failure' | 'unknown';

export function classifyStatus(text: string): Outcome {
  const t = text.trim();
  if (!t) return 'unknown';
  if (/fail|error|invalid|expired|denied|unauthori[sz]ed|forbidden|time[d ]?out|unreachable|refused|not valid|\bfalse\b|\bno\b|\b[45]\d\d\b|-10\d\d\b/i.test(t))
    return 'failure';
  if (/succe|\bok\b|\bdone\b|complete|\btrue\b|\byes\b|\bvalid\b|\bpass|\b2\d\d\b|subscribed|registered/i.test(t)) return 'success';
  return 'unknown';
}

export type Reason = 'http_500' | 'http_413' | 'auth' | 'network' | 'invalid' | 'error';

/** Why a step failed, from its status (and message) text. */
export function failureReason(text: string): Reason {
  if (/\b413\b|entity too large|payload too large/i.test(text)) return 'http_413';
  if (/\b500\b|internal server error/i.test(text)) return 'http_500';
  if (/\b401\b|\b403\b|unauthori[sz]ed|forbidden|authenticat|\bntlm\b|credential|certificate/i.test(text)) return 'auth';
  if (NETWORK.test(text)) return 'network';
  if (/invalid|expired|not valid|no longer valid/i.test(text)) return 'invalid';
  return 'error';
}

/** NSURLError codes and wording of failures to reach a host. */
export const NETWORK =
  /NSURLErrorDomain|-1001\b|-1003\b|-1004\b|-1005\b|-1009\b|-1200\b|time[d ]?\s?out|could not connect|cannot connect|can't connect|unable to connect|host (is )?unreachable|network (is )?unreachable|connection (was )?(lost|refused|reset)|not connected to the internet|offline|cannot find host|could not be found|no route to host|dns/i;

export function networkCode(text: string): string {
  const m = text.match(/-10\d\d\b/);
  if (m) return m[0];
  if (/time[d ]?\s?out/i.test(text)) return 'timeout';
  if (/unreachable|no route/i.test(text)) return 'unreachable';
  if (/refused/i.test(text)) return 'refused';
  if (/not connected|offline/i.test(text)) return 'offline';
  return 'network';
}

/** Keeps a message short and drops anything shaped like a token (long hex or base64 runs). */
export function redactMessage(text: string, max = 300): string {
  const clean = text
    .replace(/<([0-9a-fA-F]{8}\s?){4,}>/g, '<…redacted…>')
    .replace(/\b[0-9a-fA-F]{32,}\b/g, '…redacted…')
    // base64 runs: long, and mixing digits with both cases (so long API names survive)
    // (each run is tested once: lookaheads at every position of a long run would be quadratic)
    .replace(/[A-Za-z0-9+/]{40,}={0,2}/g, (run) => (/\d/.test(run) && /[A-Z]/.test(run) && /[a-z]/.test(run) ? '…redacted…' : run))
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
