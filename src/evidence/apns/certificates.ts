import type { Fact, Problem } from '../../facts/schema.js';
import { problemOf, type BufferReader, type LineReader } from '../types.js';
import { certificateFacts } from './certificate.js';
import { isPushText } from './textInput.js';

/** A certificate's base64 is a few KB; anything far bigger is not one. */
const MAX_PEM_CHARS = 64 * 1024;

/** PEM blocks anywhere in text: .pem/.crt files, pasted certificates, a certificate inside a log. */
export const pemCertificateReader: LineReader = {
  id: 'apns.certificate.pem',
  kind: 'lines',
  accepts: isPushText,
  open(item) {
    const facts: Fact[] = [];
    const problems: Problem[] = [];
    let body: string[] | undefined;
    let size = 0;
    let startLine = 0;
    return {
      line(text, n) {
        const t = text.trim();
        if (t === '-----BEGIN CERTIFICATE-----' || t === '-----BEGIN TRUSTED CERTIFICATE-----') {
          body = [];
          size = 0;
          startLine = n;
          return;
        }
        if (!body) return;
        if (/^-----END (TRUSTED )?CERTIFICATE-----$/.test(t)) {
          const res = certificateFacts(Buffer.from(body.join(''), 'base64'), item, startLine);
          facts.push(...res.facts);
          problems.push(...res.problems);
          body = undefined;
          return;
        }
        size += t.length;
        if (size > MAX_PEM_CHARS || !/^[A-Za-z0-9+/=]*$/.test(t)) {
          problems.push(problemOf(item, 'cert.malformed', `has a certificate block at line ${startLine} that is not base64 or never ends`));
          body = undefined;
          return;
        }
        body.push(t);
      },
      end() {
        if (body) problems.push(problemOf(item, 'cert.truncated', `has a certificate block at line ${startLine} without its END line`));
        return { facts, problems };
      },
    };
  },
};

/** Binary (DER) certificates: .cer as the developer portal serves it, .der, .crt. */
export const derCertificateReader: BufferReader = {
  id: 'apns.certificate.der',
  kind: 'buffer',
  accepts: (name, head) => /\.(cer|der|crt)$/i.test(name) && head[0] === 0x30 && (head[1] & 0x80) !== 0,
  read: (data, item) => certificateFacts(data, item),
};
