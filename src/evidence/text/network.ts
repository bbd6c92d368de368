/**
 * What a failed connection in a device log means, by its code or, when it
 * carries none, its English description. NSURLError codes are Apple's public
 * constants (NSURLErrorTimedOut -1001, CannotFindHost -1003, CannotConnectToHost
 * -1004, NetworkConnectionLost -1005, NotConnectedToInternet -1009,
 * InternationalRoamingOff -1018, DataNotAllowed -1020, SecureConnectionFailed
 * -1200 and the certificate errors after it); -98xx are Secure Transport's
 * errSSL codes.
 */
export type NetworkKind = 'dns' | 'offline' | 'timeout' | 'refused' | 'unreachable' | 'tls' | 'courier';
function kindOfCode(code: number): NetworkKind | undefined {
  if (code === -1001) return 'timeout';
  if (code === -1003 || code === -1006) return 'dns';
  if (code === -1009 || code === -1018 || code === -1020) return 'offline';
  if (code === -1004) return 'refused';
  if (code === -1005) return 'unreachable';
  if ((code <= -1200 && code >= -1206) || (code <= -9800 && code >= -9899)) return 'tls';
  return undefined;
}
/** The same failures by their localized English descriptions, when a line carries no code. */
const KIND_PHRASES: [RegExp, NetworkKind][] = [
  [/server with the specified hostname could not be found/i, 'dns'],
  [/Internet connection appears to be offline/i, 'offline'],
  [/request timed out/i, 'timeout'],
  [/Could not connect to the server/i, 'refused'],
  [/network connection was lost/i, 'unreachable'],
  [/secure connection to the server cannot be made|SSL error has occurred/i, 'tls'],
];
export const RE_NET_CODE =
  /NSURLErrorDomain Code=(-\d+)|kCFErrorDomainCFNetwork Code=(-\d+)|error code:? \(?(-1\d{3}|-9[89]\d\d)\b|finished with error \[(-\d+)\]|\berrSSL\w*\s*\(?(-98\d\d)\)?/;

export function networkFailure(message: string): { kind: NetworkKind; code?: string } | undefined {
  const m = RE_NET_CODE.exec(message);
  if (m) {
    const raw = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5];
    const kind = kindOfCode(Number(raw));
    if (kind) return { kind, code: raw };
  }
  for (const [re, kind] of KIND_PHRASES) if (re.test(message)) return { kind };
  return undefined;
}
