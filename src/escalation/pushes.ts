import { ZONE_UNKNOWN } from '../report/time.js';
import type { Report, TimelineEvent } from '../report/types.js';
import { forApple, type DraftWords } from './words.js';

/** One failed push as the draft lists it. */
export interface PushLine {
  /** Its time in words ("2024-05-07 08:00:03 UTC"), or that the evidence has none. */
  at: string;
  /** Whether `at` is a time (false: the evidence holds none). */
  timed: boolean;
  /** Whether the source wrote the time without a zone. */
  zoneLess: boolean;
  /** The part of the time a rewrite must keep (see DraftWords.requiredTime). */
  requiredAt?: string;
  /** The zone-less time without its mark, for the summary. */
  bareAt?: string;
  response: string;
  /** The APNs HTTP status and reason as logged, for the verifier. */
  status?: string;
  reason?: string;
  /** The apns-id APNs gave the push, and the device's UDID, where the evidence has them. */
  apnsId?: string;
  udid?: string;
  source: string;
  after: string;
}

const UNTIMED = 'time not in the evidence yet';

/** Timeline events that are the server sending a push (with the APNs answer in attrs) or an APNs answer on its own. */
export function isPushEvent(e: TimelineEvent): boolean {
  return e.fact === 'server.push_sent' || /^apns\.(push_)?(response|result|sent)$/.test(e.fact);
}

/** The failed pushes on record (case.failed_push), earliest first: each with its time, APNs's answer, apns-id and UDID where known. */
export function pushLines(report: Report, words: DraftWords): PushLine[] {
  const failed = report.facts.filter((f) => f.fact === 'case.failed_push');
  failed.sort((a, b) => (a.at && b.at ? (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) : a.at ? -1 : b.at ? 1 : 0));
  return failed.map((f) => {
    const a = f.attrs ?? {};
    const zoneLess = a.zone === ZONE_UNKNOWN;
    return {
      at: f.at ? words.time(f.at, a.zone) : UNTIMED,
      timed: !!f.at,
      zoneLess,
      ...(f.at ? { requiredAt: words.requiredTime(f.at, a.zone) } : {}),
      ...(f.at && zoneLess ? { bareAt: words.bareTime(f.at) } : {}),
      response: String(f.value),
      ...(a.status ? { status: a.status } : {}),
      ...(a.reason ? { reason: a.reason } : {}),
      ...(a.apns_id ? { apnsId: a.apns_id } : {}),
      ...(a.udid ? { udid: forApple(a.udid, 'udid') } : {}),
      source: pushSource(report, f, words),
      after: a.domain === 'apns' ? 'the notification never arrived' : 'no device contact with the MDM server within a minute',
    };
  });
}

/**
 * Where the push and its answer were read: the server's log line (an MDM
 * push), the provider's log line with APNs's answer (an app push), or the
 * person who told APNs's answer.
 */
function pushSource(report: Report, f: Report['facts'][number], words: DraftWords): string {
  const a = f.attrs ?? {};
  if (a.push) return words.where(a.push);
  if (a.response_from) return words.where(a.response_from);
  // An app push's failure is derived from the APNs answer logged at the same moment.
  const answer = report.facts.find((x) => x.fact === 'apns.response' && x.at === f.at && (!a.apns_id || x.attrs?.apns_id === a.apns_id));
  return answer ? words.origin(answer.origin) : words.where(f.source);
}
