/**
 * Reads the distinguished name node:crypto's X509Certificate prints as
 * `subject`: one `TYPE=value` per line (a multi-valued RDN's parts joined by
 * " + "), values escaped as RFC 2253 asks (`\,` `\+` `\\` `\ ` and the like)
 * and control characters as `\XX` hex.
 */
export type NameField = [type: string, value: string];

const HEX2 = /^[0-9A-Fa-f]{2}$/;

export function nameFields(printed: string): NameField[] {
  const out: NameField[] = [];
  for (const line of printed.split('\n')) {
    let part = '';
    let raw = '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '\\' && i + 1 < line.length) {
        const hex = line.slice(i + 1, i + 3);
        if (HEX2.test(hex)) {
          part += String.fromCharCode(parseInt(hex, 16));
          i += 2;
        } else part += line[++i]!;
        raw += 'x'; // an escaped character is never a separator
        continue;
      }
      // An unescaped "+" only ever separates the values of one RDN (" + ").
      if (c === '+' && raw.endsWith(' ') && line[i + 1] === ' ') {
        push(out, part.slice(0, -1));
        part = '';
        raw = '';
        i++;
        continue;
      }
      part += c;
      raw += c;
    }
    push(out, part);
  }
  return out;
}

function push(out: NameField[], part: string): void {
  const eq = part.indexOf('=');
  if (eq > 0) out.push([part.slice(0, eq), part.slice(eq + 1)]);
}

/** The first value of a type, by its short name or its dotted OID (printed when OpenSSL has no name for it). */
export function nameValue(fields: readonly NameField[], ...types: string[]): string | undefined {
  return fields.find(([t]) => types.includes(t))?.[1];
}
