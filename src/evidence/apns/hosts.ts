/** APNs hosts and the environment each one serves. */

export type ApnsEnvironment = 'development' | 'production';

/**
 * Provider hosts (HTTP/2 on 443 or 2197; the retired binary interface on
 * 2195, feedback on 2196) and device courier hosts. `sandbox` anywhere in an
 * Apple push host name means the development environment.
 */
// Labels are bounded (DNS allows 63 characters; Apple's hosts have at most four labels before
// push.apple.com): an unbounded `(?:[a-z0-9-]+\.)*` retried at every word of "0.0.0.0…" is quadratic.
const HOST = /\b((?:[a-z0-9-]{1,63}\.){0,6}(?:sandbox\.)?push\.apple\.com)(?::(\d{2,5}))?/gi;

export interface HostMention {
  host: string;
  port?: string;
  environment: ApnsEnvironment;
  /** A device-side courier (x-courier.push.apple.com), not a provider endpoint. */
  courier: boolean;
}

export function hostsIn(line: string): HostMention[] {
  const out: HostMention[] = [];
  for (const m of line.matchAll(HOST)) {
    const host = m[1].toLowerCase();
    // Bare "push.apple.com" is the domain apsd logs (copyTokenForDomain push.apple.com), not a host.
    if (host === 'push.apple.com') continue;
    out.push({
      host,
      ...(m[2] ? { port: m[2] } : {}),
      environment: environmentOfHost(host),
      courier: /courier/.test(host),
    });
  }
  return out;
}

function environmentOfHost(host: string): ApnsEnvironment {
  return /(^|\.)sandbox\./i.test(host) || /sandbox/i.test(host) ? 'development' : 'production';
}

/** Maps the words people and tools use to one of the two environments. */
export function normalizeEnvironment(raw: string): ApnsEnvironment | undefined {
  const t = raw.trim().toLowerCase();
  if (['development', 'develop', 'dev', 'sandbox'].includes(t)) return 'development';
  if (['production', 'prod', 'release', 'distribution'].includes(t)) return 'production';
  return undefined;
}
