import { NETWORK, networkCode } from './classify.js';

/**
 * What the Secure Mail log says, line by line, about push. The wording of
 * seed 003's examples is used where it gives one (the aps-environment
 * registration error, HTTP 500 / 413, authentication failures); the rest
 * matches the iOS API names and the usual NSURLError wording, since the
 * log's exact messages are not public.
 */
export interface Hit {
  fact: string;
  attrs?: Record<string, string>;
}

const ENTITLEMENT = /aps-environment|NSCocoaErrorDomain\W+(?:error\.)?code\W*3000|error\.code\s*=\s*3000/i;
const NO_TOKEN =
  /fail\w{0,24}\s+to\s+(get|obtain|retrieve|receive|fetch)\s+(an?\s+|the\s+)?(apns\s+)?device\s*token|didFailToRegisterForRemoteNotifications|fail\w{0,24}\s+to\s+register\s+for\s+remote\s+notifications|\bno\s+(apns\s+)?device\s*token|device\s*token\s+(is\s+)?(nil|null|empty|missing|unavailable|not available)/i;
const TOKEN_OK = /didRegisterForRemoteNotificationsWithDeviceToken|(received|got|obtained)\s+(an?\s+|the\s+)?(apns\s+)?device\s*token/i;
const HTTP_CONTEXT = /http|status|response|code|error/i;
const AUTH = /unauthori[sz]ed|authenticat\w{0,24}\s+(fail|error|denied|challenge\s+fail)|auth\w{0,24}\s+fail/i;
/** NTLM or a client certificate named together with a failure, in either order ("fail … ntlm" or "ntlm … denied"). */
const NTLM = /\bntlm\b/i;
const FAILED = /fail|error|denied|reject/i;
/**
 * `a.*b` is tried from every `a` to the end of the line, which is quadratic
 * on a line of many `a`s; finding each part once is linear. The client
 * certificate words must come before the failure, as people write it.
 */
function authFailure(msg: string): boolean {
  if (AUTH.test(msg)) return true;
  if (NTLM.test(msg) && FAILED.test(msg)) return true;
  const client = /client\s+certificate/i.exec(msg);
  if (client && /fail|error|reject|invalid|denied|untrusted/i.test(msg.slice(client.index + client[0].length))) return true;
  const certAuth = /certificate\s+auth/i.exec(msg);
  return !!certAuth && FAILED.test(msg.slice(certAuth.index + certAuth[0].length));
}
const SUBSCRI = /subscri/i;
const INVALID = /invalid|not\s+valid|no\s+longer\s+valid|expired/i;
const LOW_POWER = /low\s*power\s*mode|lowPowerMode|isLowPowerModeEnabled/i;
const BAR_DENIED =
  /UIBackgroundRefreshStatus(Denied|Restricted)|background\s*(app\s*)?refresh\w{0,24}\s+(is\s+)?(disabled|off|denied|restricted|not\s+(enabled|available))/i;
const BAR_OK = /UIBackgroundRefreshStatusAvailable|background\s*(app\s*)?refresh\w{0,24}\s+(is\s+)?(enabled|on|available)\b/i;

/** States of the device that matter whichever module logs them. */
export function deviceHits(msg: string): Hit[] {
  const hits: Hit[] = [];
  if (LOW_POWER.test(msg)) {
    if (/disabled|\boff\b|\bno\b|false|=\s*0\b|deactivated|\bnot\b|exit/i.test(msg)) hits.push({ fact: 'securemail.log.low_power_off' });
    else if (/enabled|\bon\b|\byes\b|true|=\s*1\b|activated|\bin\s+low\s*power|enter/i.test(msg)) hits.push({ fact: 'securemail.log.low_power_on' });
  }
  const denied = msg.match(BAR_DENIED);
  if (denied)
    hits.push({ fact: 'securemail.log.background_refresh_denied', attrs: { status: denied[1] ? `UIBackgroundRefreshStatus${denied[1]}` : 'disabled' } });
  else if (BAR_OK.test(msg)) hits.push({ fact: 'securemail.log.background_refresh_available' });
  return hits;
}

/** Push subscription events and errors (Secure Mail.APNS lines). */
export function apnsHits(msg: string, level: string): Hit[] {
  const hits: Hit[] = [];
  const entitlement = ENTITLEMENT.test(msg);
  if (entitlement) hits.push({ fact: 'securemail.log.missing_entitlement' });
  else if (NO_TOKEN.test(msg)) hits.push({ fact: 'securemail.log.no_device_token' });
  else if (TOKEN_OK.test(msg)) hits.push({ fact: 'securemail.log.device_token_received' });
  if ((/\b413\b/.test(msg) && HTTP_CONTEXT.test(msg)) || /entity\s+too\s+large|payload\s+too\s+large/i.test(msg))
    hits.push({ fact: 'securemail.log.http_413' });
  if ((/\b500\b/.test(msg) && HTTP_CONTEXT.test(msg)) || /internal\s+server\s+error/i.test(msg))
    hits.push({ fact: 'securemail.log.http_500', attrs: { target: /\bews\b|exchange/i.test(msg) ? 'ews' : 'listener' } });
  if (!entitlement && ((/\b401\b/.test(msg) && HTTP_CONTEXT.test(msg)) || authFailure(msg))) {
    const code = /\b401\b/.test(msg) ? '401' : /ntlm/i.test(msg) ? 'ntlm' : /certificate/i.test(msg) ? 'certificate' : 'auth';
    hits.push({ fact: 'securemail.log.ews_auth_failure', attrs: { code } });
  }
  if (NETWORK.test(msg)) hits.push({ fact: 'securemail.log.network_error', attrs: { code: networkCode(msg) } });
  if (SUBSCRI.test(msg)) {
    if (INVALID.test(msg)) hits.push({ fact: 'securemail.log.subscription_invalid' });
    else if (/\b(is|still)\s+valid\b|valid\s*[:=]\s*(yes|true|1)\b/i.test(msg)) hits.push({ fact: 'securemail.log.subscription_valid' });
    else if (/fail|error|unable|could\s*n[o']t/i.test(msg)) hits.push({ fact: 'securemail.log.subscription_failed' });
    else if (/succe|subscribed|complete/i.test(msg)) hits.push({ fact: 'securemail.log.subscription_succeeded' });
  }
  if (/(received|didReceive)\s*remote\s*notification|remote\s+notification\s+(received|arrived)/i.test(msg))
    hits.push({ fact: 'securemail.log.remote_notification' });
  if (/err|warn|fatal|crit/i.test(level)) hits.push({ fact: 'securemail.log.apns_error' });
  return hits;
}

/** Words that make a line without a module column about push. */
export const PUSH_WORDS = /apns|push\s*notif|remote\s*notif|listener|subscri|device\s*token|aps-environment|\bews\b/i;
