import { FactFolder } from '../../facts/fold.js';
import { sourceOf, type Item, type LineReader } from '../types.js';
import { looksLikeDeviceLog } from '../text/recognise.js';
import { isPushText, lineTime } from './textInput.js';
import { anyOf, inOrder, type LineTest } from '../inOrder.js';

/**
 * What an app push provider's own log says about its credentials and what it
 * pushes on: a token-signing key it cannot use, an identity it cannot read
 * (TN2265 "Problems Connecting to the Push Service": the identities must be
 * where the provider looks and readable by it), and the topic it pushed on.
 * MDM servers' lines are left to the MDM readers: MDM pushes use certificates
 * only, and their topics are check-in values as often as push values.
 *
 * Texts: "tls: failed to parse private key" is confirmed (micromdm/nanomdm
 * #192, an MDM server); the other key, file and keychain phrasings are the
 * standard errors of the runtimes providers are written in (POSIX EACCES /
 * ENOENT, OpenSSL's "no start line", Security.framework's
 * errSecInteractionNotAllowed -25308 and errSecItemNotFound -25300),
 * shaped from those, not copied from a provider's log.
 */
const PUSH_CONTEXT = /push\.apple\.com|\bapns|\bpush\b|AuthKey_\w+\.p8|\.p8\b|provider[ _-]?token|\bjwt\b/i;
const MDM_CONTEXT = /com\.apple\.mgmt\.|nanopush|nanomdm|micromdm|\bmdm\b|PushMagic|PushInfo|apple_mdm/i;
const WORTH_A_LOOK =
  /key|team|kid|\biss\b|ES256|EACCES|ENOENT|permission|denied|not permitted|no such file|not found|keychain|errSec|SecIdentity|topic|PEM routines/i;

// `a[^\n]*b` is quadratic on a line that repeats `a`: inOrder says the same in one pass.
const KEY_ERRORS: [LineTest, string][] = [
  [
    anyOf(
      /failed to parse (?:the )?(?:EC |ECDSA |PKCS ?#?8 )?private key|invalid (?:EC |ECDSA )?private key|could not (?:load|parse|decode|read) (?:the )?(?:signing |private |auth |p8 |\.p8 )key|secretOrPrivateKey must be an asymmetric key/i,
      inOrder(/PEM routines/i, /no start line/i),
    ),
    'parse_key',
  ],
  [
    /\b(?:invalid|wrong|unknown|bad|mismatched)\b[^.;]{0,20}\b(?:key[ _-]?id|kid)\b|\b(?:key[ _-]?id|kid)\b[^.;]{0,20}\b(?:is invalid|not found|unknown|mismatch|does not match)/i,
    'key_id',
  ],
  [
    /\b(?:invalid|wrong|unknown|bad|mismatched)\b[^.;]{0,20}\b(?:team[ _-]?id|issuer)\b|\b(?:team[ _-]?id|issuer)\b[^.;]{0,20}\b(?:is invalid|mismatch|does not match)/i,
    'team_id',
  ],
  [/\binvalid (?:signing )?algorithm\b|\bES256\b[^.;]{0,40}\b(?:required|expected)/i, 'algorithm'],
];

/**
 * A push relay saying APNs refused the credentials it holds for the app: Firebase Cloud Messaging's v1
 * error code THIRD_PARTY_AUTH_ERROR (its Admin SDKs: messaging/third-party-auth-error; its message: "Auth
 * error from APNS or Web Push Service"; the legacy API: InvalidApnsCredential), as Firebase's error
 * reference names them.
 */
const RELAY_REFUSED = /THIRD_PARTY_AUTH_ERROR|third-party-auth-error|Auth error from APNS\b|InvalidApnsCredential/;

const IDENTITY_FILE = /\.(?:p8|p12|pfx|pem|key|cer|crt)\b|AuthKey_|certificate|private key|identity/i;
const UNREADABLE: [LineTest, string][] = [
  [
    anyOf(
      /errSecInteractionNotAllowed|User interaction is not allowed|errSecItemNotFound|could not be found in the keychain/i,
      inOrder(/keychain/i, /locked|denied|not allowed|-25308|-25300/i),
      inOrder(/SecIdentity/i, /fail|error/i),
    ),
    'keychain',
  ],
  [/EACCES|permission denied|operation not permitted|access is denied/i, 'permission'],
  [/ENOENT|no such file or directory|file not found|could not find (?:the )?(?:file|certificate|key)/i, 'missing_file'],
];
const PATH = /((?:[A-Za-z]:)?[/\\][^\s"':,]*\.(?:p8|p12|pfx|pem|key|cer|crt))\b/i;

// `topic=com.example.app`, `"topic":"com.example.app"`, `topic: com.example.app` — a bundle id, not a message-bus topic.
const TOPIC = /(?:^|[\s,{(])["']?(?:apns_)?topic["']?\s*[=:]\s*["']?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+){2,})/i;

export const providerLogReader: LineReader = {
  id: 'apns.provider',
  kind: 'lines',
  // A device's own log (apsd, mdmd, syslog, log show) is no provider's; a big one would cost a scan for nothing.
  accepts: (name, head, item) => isPushText(name, head, item) && (!!item.pasted || !looksLikeDeviceLog(head)),
  open(item: Item) {
    // Folded as read: a provider's log names its topic on every push line (150,000 topic facts held to the end
    // of the file cost about 85 MB of peak RSS); a fold holds their columns (facts/fold.ts), losing nothing.
    const facts = new FactFolder();
    const at = (text: string) => {
      const t = lineTime(text);
      return t ? { at: t } : {};
    };
    return {
      line(text, n) {
        if (RELAY_REFUSED.test(text)) {
          facts.add({ name: 'apns.relay_credentials_refused', value: 'fcm', source: sourceOf(item, n), ...at(text) });
          return;
        }
        if (!WORTH_A_LOOK.test(text) || MDM_CONTEXT.test(text)) return;
        const pushLine = PUSH_CONTEXT.test(text);
        if (!pushLine && !item.pasted) return;
        for (const [re, kind] of KEY_ERRORS) {
          if (!re.test(text)) continue;
          facts.add({ name: 'apns.provider_key_error', value: kind, source: sourceOf(item, n), ...at(text) });
          break;
        }
        if (IDENTITY_FILE.test(text) || /keychain|errSec/i.test(text)) {
          for (const [re, kind] of UNREADABLE) {
            if (!re.test(text)) continue;
            const path = PATH.exec(text)?.[1];
            facts.add({
              name: 'apns.provider_identity_unreadable',
              value: kind,
              source: sourceOf(item, n),
              ...at(text),
              ...(path ? { attrs: { path } } : {}),
            });
            break;
          }
        }
        // The apns-topic header is the responses reader's; this is the provider naming what it pushed on.
        if (pushLine && !/apns-topic/i.test(text)) {
          const topic = TOPIC.exec(text)?.[1];
          if (topic && !topic.startsWith('com.apple.'))
            facts.add({ name: 'apns.topic', value: topic, source: sourceOf(item, n), ...at(text), attrs: { from: 'provider log' } });
        }
      },
      end() {
        return { facts: facts.facts(), problems: [] };
      },
    };
  },
};
