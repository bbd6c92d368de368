import { showSecret, type SecretKind } from '../facts/secrets.js';
import type { Source } from '../facts/schema.js';
import { foldEvidence, observationLine } from '../report/render/observations.js';
import { Places, type WordsOptions } from '../report/render/places.js';
import { valueWords } from '../report/render/words.js';
import { formatTime, isIsoTime, ZONE_UNKNOWN } from '../report/time.js';
import type { EvidenceReport, Report } from '../report/types.js';

/**
 * The draft is read at Apple by someone who never saw pushcheck: no fact
 * ids, no command-line flags, no chat user ids, times in UTC with the zone
 * the source wrote them in. It speaks with the renderers' words (places,
 * observations, times); what differs is who reads it, and so how the
 * people and the flags of the case are named.
 */
const ENGINEER = 'the support engineer';

const DRAFT_NAMES: WordsOptions = {
  // Whoever answered (a chat user, the command line, the terminal) is the engineer filing the report.
  person: () => ENGINEER,
  inputName: (input) => {
    if (/^--(topic|magic|token)$/.test(input)) return `the MDM server's values, as ${ENGINEER} gave them`;
    if (input === '--now') return 'the time of the diagnosis';
    if (input === '--paste') return `text pasted by ${ENGINEER}`;
    const n = /^--paste (\d+)$/.exec(input);
    if (n) return `text ${n[1]} pasted by ${ENGINEER}`;
    return undefined;
  },
};

/** Apple's audience of the secrets policy: the whole value, because Apple asks for it. */
export function forApple(value: string, kind: SecretKind): string {
  return showSecret(value, kind, 'apple');
}

export class DraftWords {
  private readonly places: Places;

  constructor(private readonly report: Report) {
    this.places = new Places(report, DRAFT_NAMES);
  }

  /** "2024-05-07 08:00:03 UTC", "… UTC (10:00:03 at +02:00)", "2024-05-07 10:00:03 (zone unknown)". */
  time(iso: string, zone?: string): string {
    return isIsoTime(iso) ? formatTime(iso, zone) : iso;
  }

  /**
   * The part of a time a rewrite must keep word for word: the UTC time (the
   * source's own clock beside it is a courtesy), or, for a zone-less time,
   * the time with its "zone unknown" mark, which must never be lost.
   */
  requiredTime(iso: string, zone?: string): string {
    const t = this.time(iso, zone);
    return zone === ZONE_UNKNOWN ? t : t.replace(/ UTC \(.*\)$/, ' UTC');
  }

  /** A zone-less time without its mark, for a sentence that says once that the zone is unknown. */
  bareTime(iso: string): string {
    return this.time(iso, ZONE_UNKNOWN).replace(/ \(zone unknown\)$/, '');
  }

  /** A fact's value as a person reads it: yes/no, times with their zone. */
  value(e: Pick<EvidenceReport, 'value' | 'attrs'>): string {
    return valueWords(e.value, e.attrs?.zone);
  }

  /** Where an observation was made, with its line: "micromdm.log line 1", "logs/MCState/Shared/MDM.plist". */
  origin(origin: Source): string {
    const line = 'line' in origin && origin.line && !(origin.kind === 'pasted' && this.places.named(origin.input)) ? ` line ${origin.line}` : '';
    return `${this.places.container(origin)}${line}`;
  }

  /**
   * A place as the facts describe it in text ("/cases/a/micromdm.log:2",
   * "--paste 2 (line 1)", "answer to q.mdm.push_status by cli"): named as
   * the fact read there names it, else through the renderers' sentence cleaning.
   */
  where(described: string): string {
    const fact = this.report.facts.find((f) => f.source === described);
    return fact ? this.origin(fact.origin) : this.sentence(described);
  }

  /** Evidence lines in words, each thing seen once with every place it was seen, values whole. */
  evidence(list: readonly EvidenceReport[]): string[] {
    return foldEvidence(list, this.places, { brief: true, audience: 'apple' }).map(observationLine);
  }

  /** The inputs of the case, each archive named once. */
  inputs(): string | undefined {
    return this.places.inputsLine(this.report);
  }

  /**
   * A sentence from the rules or the facts in people's words. A question the
   * report asks is named by its text; one it no longer asks is left out.
   */
  sentence(text: string): string {
    const asked = (id: string) => this.report.questions.find((q) => q.id === id)?.text;
    const withQuestions = text
      .replace(/\s*\((?:or )?(?:answer )?(q\.[a-z0-9_]+(?:\.[a-z0-9_]+)+)\)/g, (_m, id: string) => (asked(id) ? ` (or answer "${asked(id)}")` : ''))
      .replace(/,? or answer (q\.[a-z0-9_]+(?:\.[a-z0-9_]+)+)/g, (_m, id: string) => (asked(id) ? `, or answer "${asked(id)}"` : ''))
      .replace(/^answer (q\.[a-z0-9_]+(?:\.[a-z0-9_]+)+)$/, (_m, id: string) => (asked(id) ? `answer "${asked(id)}"` : ''));
    // A rule that already says a time is zone-less needs no second mark from the time itself.
    return this.places.inWords(withQuestions).replace(/ \(zone unknown\)( \([^()]*zone unknown[^()]*\))/g, '$1');
  }
}

/** The device events the draft lists, in words Apple's reader understands. */
export const DEVICE_EVENT_WORDS: Record<string, string> = {
  'device.log.magic_rejection': 'mdmd rejected a push: wrong PushMagic',
  'device.log.push_received': 'apsd received a push',
  'device.log.courier_connected': 'apsd connected to an APNs courier',
  'device.log.connection_failure': 'apsd push connection failed',
  'device.log.token_update_skipped': 'mdmd skipped a TokenUpdate',
  'device.log.checkin': 'device contacted the MDM server',
  'device.last_polling_attempt': 'device last polled the MDM server',
  'device.last_polling_success': 'device last polled the MDM server successfully',
  'device.push_magic_mismatch_at': 'device noted a push with the wrong PushMagic (self-healing counts 25 h from here)',
  'device.log.push_ignored': 'apsd ignored a push for a topic it does not listen on',
  'device.log.push_unknown_token': 'apsd received a push for a token it does not know',
  'mdm.checkin.authenticate': 'Authenticate check-in (enrollment)',
  'mdm.checkin.token_update': 'TokenUpdate check-in',
  'mdm.checkin.checkout': 'CheckOut check-in',
};

/** Apple's logging profiles by the names Apple gives them (the reader records which kind it found). */
export const LOGGING_PROFILE_WORDS: Record<string, string> = {
  managed_configuration: 'Managed Configuration logging profile',
  apns: 'APNS (PersistentConnection) logging profile',
  logging: 'a logging profile of unknown kind',
};
