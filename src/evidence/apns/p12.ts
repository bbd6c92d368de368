import type { Fact, Problem } from '../../facts/schema.js';
import { problemOf, type BufferReader, type Item, type ReadResult } from '../types.js';
import { certificateFacts } from './certificate.js';

/**
 * A push certificate exported as PKCS#12 (.p12), as Keychain Access exports "Apple Push Services" and as
 * push services (Firebase, OneSignal) take it: its certificates are read when it opens with an empty
 * password, as many such exports do. A password-protected one cannot be opened without the password,
 * which pushcheck never asks for; the person is told how to export the certificate alone. The private
 * key is never kept: only the certificates' DER leaves this module.
 *
 * node-forge decodes it because node:crypto cannot: Keychain exports encrypt the certificates with
 * RC2-40, which OpenSSL 3 (and so Node) no longer offers, and PKCS#12's own key derivation is not in
 * node:crypto either. It is loaded only when a .p12 is read.
 */

/** A push certificate's bundle is a few KB. */
const MAX_P12_BYTES = 256 * 1024;
/**
 * Key derivation is run as often as the file says; real exports say 1 to a few thousand (OpenSSL 2048,
 * Keychain 2000). A hostile file saying a billion would hold the thread for hours: refused unopened.
 */
const MAX_ITERATIONS = 200_000;
const MAX_NODES = 20_000;

const EXPORT_HINT = 'Export only the certificate and attach that: openssl pkcs12 -in cert.p12 -clcerts -nokeys -out cert.pem';

type Forge = typeof import('node-forge');
type Asn1 = import('node-forge').asn1.Asn1;

/**
 * The largest iteration count the file's PBE and MAC parameters name: every SEQUENCE holding a salt
 * (OCTET STRING) then an INTEGER is one of them (PBKDF2-params, PKCS#12 PBE params, MacData).
 */
function largestIterations(forge: Forge, root: Asn1): number {
  const { Class, Type } = forge.asn1;
  let largest = 0;
  let nodes = 0;
  const stack: Asn1[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (++nodes > MAX_NODES) return Number.POSITIVE_INFINITY;
    if (!Array.isArray(n.value)) continue;
    const kids = n.value as Asn1[];
    for (let i = 0; i + 1 < kids.length; i++) {
      const a = kids[i]!;
      const b = kids[i + 1]!;
      if (a.tagClass === Class.UNIVERSAL && a.type === Type.OCTETSTRING && b.tagClass === Class.UNIVERSAL && b.type === Type.INTEGER) {
        const bytes = typeof b.value === 'string' ? b.value : '';
        // More than four bytes is past any count a file could honestly need.
        const count = bytes.length > 4 ? Number.POSITIVE_INFINITY : [...bytes].reduce((v, c) => v * 256 + c.charCodeAt(0), 0);
        largest = Math.max(largest, count);
      }
    }
    for (const k of kids) stack.push(k);
  }
  return largest;
}

async function certificatesOf(data: Buffer): Promise<{ certs: Buffer[] } | { locked: true } | { broken: string }> {
  const forge: Forge = (await import('node-forge')).default;
  let root: Asn1;
  try {
    root = forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary')), true);
  } catch (e) {
    return { broken: `its DER does not parse (${(e as Error).message})` };
  }
  if (largestIterations(forge, root) > MAX_ITERATIONS) return { broken: 'its key derivation asks for more iterations than any real export uses' };
  let p12: import('node-forge').pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(root, false, '');
  } catch (e) {
    const message = (e as Error).message ?? '';
    if (/password|MAC could not be verified|decrypt/i.test(message)) return { locked: true };
    return { broken: message.slice(0, 200) || 'it does not decode' };
  }
  const bags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const certs: Buffer[] = [];
  for (const bag of bags) {
    // forge keeps the ASN.1 of a certificate whose key type it does not model (EC).
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag as { asn1?: Asn1 }).asn1;
    if (asn1) certs.push(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
  }
  return { certs };
}

export const p12Reader: BufferReader = {
  id: 'apns.certificate.p12',
  kind: 'buffer',
  accepts: (name) => /\.(p12|pfx)$/i.test(name),
  async read(data: Buffer, item: Item): Promise<ReadResult> {
    const unsupported = (why: string): ReadResult => ({
      facts: [],
      problems: [problemOf(item, 'cert.p12_unsupported', `is a PKCS#12 bundle ${why}. ${EXPORT_HINT}`)],
    });
    if (data.length > MAX_P12_BYTES) return unsupported(`of ${data.length} bytes, far more than a push certificate's`);
    const got = await certificatesOf(data);
    if ('locked' in got) return unsupported('protected by a password, which pushcheck does not ask for (it also holds the private key)');
    if ('broken' in got) return unsupported(`that cannot be read: ${got.broken}`);
    if (!got.certs.length) return unsupported('that holds no certificate');
    const facts: Fact[] = [];
    const problems: Problem[] = [];
    for (const der of got.certs) {
      const r = certificateFacts(der, item);
      facts.push(...r.facts);
      problems.push(...r.problems);
    }
    return { facts, problems };
  },
};
