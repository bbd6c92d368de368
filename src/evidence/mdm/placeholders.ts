/**
 * Template values left in an enrollment profile. Kept narrow: each pattern
 * is something no real deployment would contain.
 */
const PATTERNS: RegExp[] = [
  /YOUR[-_ ]?[A-Z]/, // YOUR-PUSH-TOPIC-HERE, YOUR_SERVER
  /[-_]HERE\b/, // SCEP-CHALLENGE-HERE
  /CHANGE[-_ ]?ME/i,
  /REPLACE[-_ ]?(ME|THIS|WITH)/i,
  /\{\{[^}]*\}\}/, // {{ topic }}
  /\$\{[^}]*\}/, // ${TOPIC}
  /%[A-Z_]{3,}%/, // %TOPIC%
  /<[A-Z][A-Z_ -]{2,}>/, // <TOPIC>
  /\bPLACEHOLDER\b/i,
];

/** example.com / example.org / example.net and their subdomains (RFC 2606), in a URL. */
const EXAMPLE_HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@]*@)?(?:[a-z0-9-]+\.)*example\.(?:com|org|net)(?::\d+)?(?:[/?#]|$)/i;

export function isPlaceholder(value: string): boolean {
  return EXAMPLE_HOST.test(value.trim()) || PATTERNS.some((p) => p.test(value));
}
