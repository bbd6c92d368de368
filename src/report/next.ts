import { factDefinition } from '../facts/catalog/index.js';
import { DOMAIN_WORDS, focusCauses, focusDomains, focusQuestions } from './focus.js';
import type { NextAction, Report } from './types.js';

type NextInput = Pick<Report, 'domains' | 'causes' | 'facts' | 'questions' | 'escalation' | 'filing'> & Partial<Pick<Report, 'conflicts'>>;

/** A fact named in a sentence, from its description: "whether the device holds an MDM enrollment". */
export function contestedWords(name: string): string {
  const d = factDefinition(name)?.description;
  const w = d?.split(/ \(|: |; /)[0]?.trim();
  return w ? w.replace(/^[A-Z](?=[a-z]+\b)/, (c) => c.toLowerCase()) : name;
}

const valueWords = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : String(v));

/**
 * An answer the evidence contradicts on a fact a cause turns on (the profile said gone, a sysdiagnose shows
 * MDM.plist): neither is taken, the cause stays open, and settling it comes first.
 */
function contestedLead(r: NextInput, causes: Report['causes']): { headline: string; next: NextAction } | undefined {
  const name = causes.flatMap((c) => c.contested ?? [])[0];
  const k = name ? r.conflicts?.find((x) => x.fact === name) : undefined;
  if (!k) return undefined;
  const answer = k.values.find((v) => v.origin.kind === 'answer');
  const shown = [...new Set(k.values.filter((v) => v.origin.kind !== 'answer' && v.value !== answer?.value).map((v) => valueWords(v.value)))];
  const question = answer?.origin.kind === 'answer' ? answer.origin.question : undefined;
  const held = causes.filter((c) => c.contested?.includes(name!)).map((c) => c.title);
  const lead = `An answer and the evidence disagree on ${contestedWords(name!)}: ${question ? `the answer to ${question}` : 'the answer'} says ${valueWords(answer?.value)}, the evidence shows ${shown.join(' or ')}`;
  const step = `Check which holds (the report's conflicts list where each comes from) and answer ${question ? `${question} again` : 'again'}`;
  const more = held.length > 1 ? ` (and ${held.length - 1} more)` : '';
  return {
    headline: end(`${lead} — ${lowerFirst(step)}; until then, ${lowerFirst(held[0]!)}${more} stays open`),
    next: { kind: 'none', text: end(step) },
  };
}

/**
 * Evidence a person can attach for facts the open causes still need. Only
 * offered when the case holds nothing of that kind yet: asking for a
 * sysdiagnose when one was read already would send them in a circle.
 */
const ATTACHABLE: { needs: RegExp; have: RegExp; what: string }[] = [
  {
    needs: /^server\.(topic|push_magic|push_token)$/,
    have: /^server\.(topic|push_magic|push_token)$/,
    what: 'the push topic, PushMagic and push token the MDM server holds for the device (paste them in)',
  },
  {
    needs: /^device\.(topic|push_magic|push_token_hash|mdm_enrolled|last_polling_\w+)$|^device\.log\./,
    have: /^device\.(topic|push_magic|push_token_hash|mdm_enrolled)$|^device\.log\./,
    what: 'a sysdiagnose of the device (it holds MDM.plist and the push logs)',
  },
  {
    needs: /^(server\.push_(status|sent)|mdm\.apns_\w+|mdm\.checkin\.\w+)$/,
    have: /^(server\.push_sent|mdm\.apns_\w+|mdm\.checkin\.\w+)$/,
    what: "the MDM server's log around a push that failed",
  },
  { needs: /^cert\./, have: /^cert\./, what: 'the push certificate (.pem, .cer or .p12 without its key)' },
  {
    needs: /^apns\.(response|tls_error|provider_\w+|min_push_gap_seconds)$/,
    have: /^apns\.(response|tls_error|provider_\w+)$/,
    what: "the push provider's log with APNs' answers to the failing pushes",
  },
  {
    needs: /^(app\.entitlement\w*|provisioning\.\w+)$/,
    have: /^(app\.entitlement\w*|provisioning\.\w+)$/,
    what: "the app's provisioning profile (.mobileprovision)",
  },
  { needs: /^(notnow\.|mdm\.command\.)/, have: /^mdm\.command\./, what: "the MDM server's log of the commands it sent and the device's answers" },
  { needs: /^securemail\./, have: /^securemail\./, what: 'the Secure Mail log bundle (Secure Mail › Settings › Send Logs)' },
];

/** What to attach next for the still-unsettled causes, if anything not yet in the case would help. */
function attachSuggestion(r: NextInput, causes: Report['causes']): string | undefined {
  const observed = r.facts.filter((f) => f.origin.kind === 'file' || f.origin.kind === 'pasted').map((f) => f.fact);
  const counts = new Map<string, number>();
  for (const c of causes.filter((x) => x.status === 'open' || x.status === 'likely')) {
    const kinds = new Set<string>();
    for (const m of c.missing) {
      // Facts only a person can say (answered) are asked, not attached.
      if (/\(answered/.test(factDefinition(m)?.description ?? '')) continue;
      const k = ATTACHABLE.find((a) => a.needs.test(m));
      if (k && !observed.some((f) => k.have.test(f))) kinds.add(k.what);
    }
    for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const a of ATTACHABLE) if ((counts.get(a.what) ?? 0) > (best ? counts.get(best)! : 0)) best = a.what;
  return best;
}

const PROPER =
  /^(Apple|Xcode|Secure|Citrix|Exchange|Mac|MDM|APNs|PushMagic|TokenUpdate|XenMobile|Endpoint|Power|Keychain|Settings|EWS|IIS|TCP|Safari|Finder|Console|Wi)$/;

/**
 * A next step as a short instruction: its first sentence or clause, cut at
 * a word near 140 characters ("Use the PushMagic from the device's latest
 * TokenUpdate; look for…" → "use the PushMagic from the device's latest TokenUpdate").
 */
function shortStep(step: string): string {
  let s = step.split(/(?<!\be\.g|\bi\.e|\bvs)[.;:](?:\s+|$)/)[0]!.trim();
  if (s.length > 140) s = s.replace(/\s+\([^()]*\)/g, '');
  if (s.length > 140) {
    // Whole clauses where possible: the steps below have the rest.
    const comma = s.lastIndexOf(', ', 140);
    s = comma > 60 ? s.slice(0, comma) : `${s.slice(0, 140).replace(/\s+\S*$/, '')}…`;
  }
  return lowerFirst(s);
}

/** A sentence continued after a dash: its first word in lower case, unless it is a name ("PushMagic", "Apple"). */
export function lowerFirst(s: string): string {
  const first = /^[A-Z][a-z]*\b/.exec(s)?.[0];
  return first && first !== 'I' && !PROPER.test(first) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

const end = (s: string) => (/[.?!…]$/.test(s) ? s : `${s}.`);

/**
 * What the evidence shows that no cause takes up, said before what to do next while nothing is confirmed or
 * likely: a line a person would otherwise have to find among the notes.
 */
function evidenceLead(r: NextInput): { lead: string; step?: string } | undefined {
  const has = (name: string, values?: readonly string[]) => r.facts.some((f) => f.fact === name && (!values || values.includes(String(f.value))));
  if (has('mdm.apns_tls_error', CUT) || has('apns.tls_error', CUT))
    return {
      lead: 'APNs closed the push connection at the TLS handshake (unexpected EOF or a decrypt error): most often the push certificate and its private key do not belong together',
      step: 'Check that the certificate and key match (see the note), load the matching pair and restart the server',
    };
  // A push apsd dropped for a token it does not hold is worth saying first, though its hidden topic leaves the kind open.
  if (r.domains.length === 0 && has('device.log.push_unknown_token'))
    return { lead: "apsd dropped a push for a token it does not hold, but its log hides the topic, so it does not tell an MDM push from an app's" };
  return undefined;
}

const CUT = ['unexpected_eof', 'decrypt_error'];

/** The one thing to do next, and the headline that says it (JSON: additions to schemaVersion 1). */
export function nextAction(r: NextInput): { headline: string; next: NextAction } {
  const focus = focusDomains(r);
  const causes = focusCauses(r, focus);
  const questions = focusQuestions(r, focus);
  const q = questions[0];
  const answer = (lead: string): { headline: string; next: NextAction } => ({
    headline: `${lead} — answer this: ${q!.text}`,
    next: { kind: 'answer', text: `Answer: ${q!.text}`, question: q!.id },
  });
  const attach = (lead: string, what: string): { headline: string; next: NextAction } => ({
    headline: end(`${lead} — attach ${what}`),
    next: { kind: 'attach', text: end(`Attach ${what}`), attach: what },
  });

  const seen = evidenceLead(r);
  const byHand = seen?.step ? { headline: end(`${seen.lead} — ${lowerFirst(seen.step)}`), next: { kind: 'none' as const, text: end(seen.step) } } : undefined;
  if (r.domains.length === 0) {
    if (byHand) return byHand;
    const lead = seen?.lead ?? 'Not enough evidence yet to tell what kind of push problem this is';
    if (q) return answer(lead);
    return attach(lead, 'a sysdiagnose of the device, or paste the values the server pushes with');
  }
  const confirmed = causes.filter((c) => c.status === 'confirmed');
  const contested = confirmed.length ? undefined : contestedLead(r, causes);
  if (contested) return contested;
  if (confirmed.length) {
    const top = confirmed[0]!;
    const more = confirmed.length > 1 ? ` (and ${confirmed.length - 1} more)` : '';
    const step = top.nextSteps[0];
    const todo = step ? shortStep(step) : 'see the next steps below';
    return {
      headline: end(`Found: ${top.title}${more} — ${todo}`),
      next: { kind: 'fix', text: end(step ? shortStep(step).replace(/^./, (c) => c.toUpperCase()) : 'See the next steps'), cause: top.id },
    };
  }
  const likely = causes.filter((c) => c.status === 'likely');
  if (likely.length) {
    const top = likely[0]!;
    const lead = `Likely: ${top.title}`;
    if (q?.settles.includes(top.id))
      return { headline: `${lead} — to confirm, answer: ${q.text}`, next: { kind: 'answer', text: `Answer: ${q.text}`, question: q.id, cause: top.id } };
    const step = top.nextSteps[0];
    if (step)
      return {
        headline: end(`${lead} — ${shortStep(step)}`),
        next: { kind: 'confirm', text: end(shortStep(step).replace(/^./, (c) => c.toUpperCase())), cause: top.id },
      };
    if (q) return answer(lead);
  }
  // The case service adds the draft itself after the report is built; filing says it will.
  if (r.escalation || r.filing?.status === 'ready')
    return {
      headline: 'All known causes are ruled out: this is one for Apple — review the Apple Feedback draft and file it.',
      next: { kind: 'feedback', text: 'Review the Apple Feedback draft and file it with Apple.' },
    };
  const open = causes.filter((c) => c.status === 'open' || c.status === 'likely');
  if (open.length) {
    if (byHand) return byHand;
    const lead = seen?.lead ?? 'Nothing confirmed yet';
    const what = attachSuggestion(r, causes);
    if (q) return answer(lead);
    if (what) return attach(lead, what);
    return {
      headline: `${lead} — nothing more pushcheck can check by itself; the open causes below say what each needs.`,
      next: { kind: 'none', text: 'Check the open causes by hand.' },
    };
  }
  if (r.filing?.status === 'values_conflict')
    return {
      headline:
        'Every known cause is ruled out, but an answer and the evidence disagree on what APNs answered the failed push — settle which one holds before filing with Apple.',
      next: { kind: 'none', text: "Check which APNs answer holds (the report's conflicts list both) and answer again." },
    };
  if (r.filing?.status === 'push_refused') {
    const answers = [...new Set(r.facts.filter((f) => f.fact === 'case.failed_push').map((f) => String(f.value)))].sort();
    return {
      headline: `Every known cause is ruled out, but APNs refused the failed push (${answers.join(', ')}): a refused push is not one for Apple — fix what APNs's answer names.`,
      next: { kind: 'none', text: "Look up APNs's answer (status and reason) in Apple's 'Handling notification responses from APNs' and fix what it names." },
    };
  }
  if (r.filing?.status === 'token_renewed')
    return {
      headline:
        "Every known cause is ruled out, but APNs answered 410 (Unregistered) only before the device's latest TokenUpdate: push again to the token that TokenUpdate brought — it is one for Apple only if that push fails too.",
      next: {
        kind: 'none',
        text: "Make sure the server stores the token from the device's latest TokenUpdate, push again, and run pushcheck again with the log of that push.",
      },
    };
  if (r.filing?.status === 'push_transient') {
    const answers = [...new Set(r.facts.filter((f) => f.fact === 'case.failed_push').map((f) => String(f.value)))].sort();
    return {
      headline: `Every known cause is ruled out, but APNs answered the failed push with its own passing error (${answers.join(', ')}): send it again — it is one for Apple only if every push fails this way for hours.`,
      next: {
        kind: 'none',
        text: 'Send the push again (on a new connection after Shutdown); if every push fails this way for an hour or more, run pushcheck again with that log.',
      },
    };
  }
  if (r.filing?.status === 'no_failed_push') {
    // Apple needs a push that failed to look into; what to collect comes from the rules.
    const lead = 'Every known cause is ruled out, but no failed push is on record';
    // Several devices and none named: which one the case is about decides which pushes are its failed ones.
    if (q?.id === 'q.case.device') return answer("Every known cause is ruled out, but the evidence holds several devices' pushes");
    const what = r.filing.collect[0];
    if (what) return { headline: end(`${lead} — collect ${lowerFirst(shortStep(what))}`), next: { kind: 'attach', text: what, attach: what } };
  }
  if (r.filing?.status === 'push_answered' && !q && focus.some((d) => d === 'mdm' || d === 'apns'))
    // "Every cause ruled out" reads like a verdict on a failure; here the evidence holds no failure at all,
    // only a push that arrived. Say that, and what would show a failure.
    return attach(
      'No fault found: the latest push on record arrived, so the push path worked then',
      'the log of a push that failed, if some still do (its time and what APNs answered)',
    );
  const lead = `Every known cause is ruled out for ${focus.map((d) => DOMAIN_WORDS[d]).join(' and ')}`;
  if (q) return answer(lead);
  if (focus.some((d) => d === 'mdm' || d === 'apns')) return attach(lead, 'the log of a push that failed (its time and what APNs answered)');
  return { headline: `${lead}: the evidence shows no fault.`, next: { kind: 'none', text: 'Nothing to fix in what pushcheck can see.' } };
}
