import { clip, micromdmIdOf } from './serverLogWords.js';

/** What a server's push line says APNs made of the push: its HTTP status, or only that it failed or was sent. */
export interface PushOutcome {
  /** APNs's HTTP status, when the line gives or implies one. */
  code?: number;
  /** The status attribute of the push: the code, or "failed" / "sent". */
  status: string;
  apnsId?: string;
  error?: string;
}

/** The outcome of a push line naming `targets` devices (msgKey: its message, lower-cased). */
export function pushOutcome(f: Map<string, string>, targets: number, msgKey: string): PushOutcome {
  const err = f.get('err') ?? f.get('error');
  const failedErr = err !== undefined && err !== '' && err !== 'null' && err !== '<nil>';
  const errs = Number(f.get('errs') ?? 0);
  const count = f.has('count') ? Number(f.get('count')) : undefined;
  const http = f.get('status') ?? f.get('httpstatus') ?? f.get('statuscode') ?? err?.match(/\bstatus:? (\d{3})\b/)?.[1];
  // MicroMDM's push returns the apns-id only from an accepted push (its APNs client turns any other
  // answer into an error): an id with no error is APNs's 200. NanoMDM's "msg=push" line counts the
  // pushes that came back without an error (nanopush, too, makes every answer but 200 an error): every
  // id of the request counted and no error means APNs accepted each push.
  const nanoAccepted =
    msgKey === 'push' && !failedErr && errs === 0 && count !== undefined && count > 0 && count === targets && Number(f.get('idcount') ?? count) === count;
  const accepted = (micromdmIdOf(f) || nanoAccepted) && !failedErr ? 200 : undefined;
  const code = http && /^\d{3}$/.test(http) ? Number(http) : accepted;
  const failed = failedErr || errs > 0 || count === 0 || (code !== undefined && code >= 300);
  const apnsId = f.get('apnsid') ?? f.get('pushid') ?? f.get('pushnotificationid') ?? micromdmIdOf(f);
  const out: PushOutcome = { status: code !== undefined ? String(code) : failed ? 'failed' : 'sent' };
  if (code !== undefined) out.code = code;
  if (apnsId) out.apnsId = clip(apnsId);
  if (failedErr) out.error = clip(err!);
  return out;
}
