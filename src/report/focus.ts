import type { Domain } from '../facts/schema.js';
import type { CauseReport, QuestionReport, Report } from './types.js';

/** What each kind of case is called in a sentence. */
export const DOMAIN_WORDS: Record<Domain, string> = {
  mdm: 'MDM push',
  apns: 'app push notifications',
  notnow: 'MDM commands answered NotNow',
  securemail: 'Citrix Secure Mail push',
};

type FocusInput = Pick<Report, 'domains' | 'causes' | 'facts'>;

/**
 * The kinds of problem the case is about, of those the evidence touches:
 * what a person said it is; otherwise the kinds with a confirmed or likely
 * cause; otherwise those with a cause still open (a command-status file
 * touches NotNow, but when none was answered NotNow and MDM causes are
 * still open, the case is not about NotNow). When everything is ruled out,
 * all of them: that is the finding.
 */
export function focusDomains(r: FocusInput): Domain[] {
  const chosen = new Set(r.facts.filter((f) => f.fact === 'case.domain').map((f) => String(f.value)));
  const said = r.domains.filter((d) => chosen.has(d));
  if (said.length) return said;
  const withStatus = (...s: CauseReport['status'][]) => r.domains.filter((d) => r.causes.some((c) => c.domain === d && s.includes(c.status)));
  const found = withStatus('confirmed', 'likely');
  if (found.length) return found;
  const open = withStatus('open');
  return open.length ? open : [...r.domains];
}

export function focusCauses(r: FocusInput, focus: readonly Domain[] = focusDomains(r)): CauseReport[] {
  return r.causes.filter((c) => focus.includes(c.domain));
}

/**
 * The questions worth asking for this case, in the engine's order: those
 * that could settle one of its causes, and those asked ahead of all others
 * (which settle nothing by themselves, e.g. "what kind of problem is this?").
 */
export function focusQuestions(r: Pick<Report, 'domains' | 'causes' | 'facts' | 'questions'>, focus: readonly Domain[] = focusDomains(r)): QuestionReport[] {
  const ids = new Set(focusCauses(r, focus).map((c) => c.id));
  const asked = r.questions.filter((q) => q.settles.length === 0 || q.settles.some((id) => ids.has(id)));
  return relayedOnly(r) ? [...asked.filter((q) => !HOST_QUESTIONS.has(q.id)), ...asked.filter((q) => HOST_QUESTIONS.has(q.id))] : asked;
}

/** Questions about the APNs host a provider connects to, which only a provider talking to APNs itself chooses. */
const HOST_QUESTIONS: ReadonlySet<string> = new Set(['q.apns.provider_host']);

/**
 * Whether the app's pushes went through a relay (FCM, Expo, OneSignal) and nothing shows APNs answering the
 * server itself: the relay picks the APNs host from the token the app registered with it (a development or a
 * production build), so the person is asked about the build before the host, which they cannot set.
 */
function relayedOnly(r: Pick<Report, 'facts'>): boolean {
  return (
    r.facts.some((f) => f.fact === 'apns.relay_answer') &&
    !r.facts.some((f) => f.fact === 'apns.response' || f.fact === 'apns.response_other_tokens' || f.fact === 'apns.endpoint')
  );
}
