import type { Fact } from '../../facts/schema.js';
import { CTXLOG_TEXT_FILE, SECURE_MAIL_MODULE } from '../securemail/names.js';
import { sourceOf, type Item, type LineReader } from '../types.js';
import { isPushText, lineTimeZoned } from './textInput.js';

/**
 * What the app's own log (its Xcode console, or a push SDK's verbose log) says its registration for
 * remote notifications returned (TN2265 "No Delegate Callbacks", "Error Delegate Callback"): a device
 * token, or an error. The lines read are the ones push SDKs print as they pass on the delegate callbacks
 * (OneSignal's "Device Registered with Apple: <token>", Firebase Messaging's "Error in
 * application:didFailToRegisterForRemoteNotificationsWithError:"), and an app naming the callback itself.
 * A push SDK's own server refusing the registration (OneSignal's API answering 400 "Identifier invalid
 * format") is that service's answer about its subscription, read as a relay answer.
 */

const TOKEN =
  /(?:Device Registered with Apple|didRegisterForRemoteNotificationsWithDeviceToken\b[^\n]{0,40}?)[:=]?\s*<?([0-9A-Fa-f]{64}|[0-9A-Fa-f]{8}(?: [0-9A-Fa-f]{8}){7})>?/;
const ERROR = /didFailToRegisterForRemoteNotificationsWithError|Failed to register for remote notifications/i;
const ONESIGNAL_REFUSED = /Encountered error during push registration with OneSignal/;
const ONESIGNAL_REASON = /Identifier invalid format/;
/** OneSignal prints the API's answer over the next few lines. */
const ANSWER_LINES = 8;
const MAX_LINE = 4096;

export const appRegistrationReader: LineReader = {
  id: 'apns.app_registration',
  kind: 'lines',
  // Secure Mail's app log prints the same callbacks; its reader reads them for Secure Mail, whose pushes come
  // from Citrix's listener service, not from an app provider of the customer's.
  accepts: (name, head, item) => isPushText(name, head, item) && !CTXLOG_TEXT_FILE.test(name) && !SECURE_MAIL_MODULE.test(head.toString('latin1')),
  open(item: Item) {
    const facts: Fact[] = [];
    let refused: { fact: Fact; line: number } | undefined;
    return {
      line(raw, n) {
        // Every line read here names a registration (or, below OneSignal's refusal, its reason): one search passes the rest.
        if (!raw.includes('egist') && !(refused && raw.includes('Identifier invalid format'))) return;
        const text = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
        const t = lineTimeZoned(text);
        const at = t ? { at: t.at } : {};
        const zone: Record<string, string> = t?.zone ? { zone: t.zone } : {};
        const registration = (value: string): Fact => ({
          name: 'app.registration',
          value,
          source: sourceOf(item, n),
          ...at,
          ...(t?.zone ? { attrs: zone } : {}),
        });
        if (refused && Math.abs(n - refused.line) <= ANSWER_LINES && ONESIGNAL_REASON.test(text)) {
          refused.fact.attrs = { ...refused.fact.attrs, code: 'Identifier invalid format' };
          return;
        }
        if (ONESIGNAL_REFUSED.test(text)) {
          const fact: Fact = {
            name: 'apns.relay_answer',
            value: 'invalid_registration',
            source: sourceOf(item, n),
            ...at,
            attrs: { relay: 'onesignal', scope: 'one', ...zone },
          };
          refused = { fact, line: n };
          facts.push(fact);
          return;
        }
        if (TOKEN.test(text)) {
          facts.push(registration('token'));
          return;
        }
        if (ERROR.test(text)) facts.push(registration('error'));
      },
      end() {
        return { facts, problems: [] };
      },
    };
  },
};
