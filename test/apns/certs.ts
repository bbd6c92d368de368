// Builds push certificates at test time with node:crypto and a tiny DER
// writer, so the tests never depend on openssl or on a real Apple identity.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { oidBytes } from '../../src/evidence/apns/certExtensions.js';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), len(content.length), content]);
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const oid = (dotted: string) => tlv(0x06, oidBytes(dotted));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const printable = (s: string) => tlv(0x13, Buffer.from(s, 'latin1'));
const int = (n: number) => tlv(0x02, Buffer.from([n]));
const nul = () => Buffer.from([0x05, 0x00]);
function utcTime(iso: string): Buffer {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'latin1'));
}

const ATTR = { UID: '0.9.2342.19200300.100.1.1', CN: '2.5.4.3', OU: '2.5.4.11', O: '2.5.4.10', C: '2.5.4.6' } as const;
type Attr = keyof typeof ATTR;

function name(parts: [Attr, string][]): Buffer {
  return seq(...parts.map(([k, v]) => set(seq(oid(ATTR[k]), k === 'C' ? printable(v) : utf8(v)))));
}

export interface CertSpec {
  /** Subject UID: the push topic. Leave out for a certificate without one. */
  uid?: string;
  cn: string;
  notBefore: string;
  notAfter: string;
  /** Apple's push extensions to include. */
  development?: boolean;
  production?: boolean;
  topics?: string[];
}

let key: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/** A DER certificate as Apple issues push certificates (subject UID, CN, Apple's extension OIDs). */
export function pushCertificate(spec: CertSpec): Buffer {
  key ??= generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const alg = seq(oid('1.2.840.10045.4.3.2'));
  const subject = name([
    ...(spec.uid ? ([['UID', spec.uid]] as [Attr, string][]) : []),
    ['CN', spec.cn],
    ['OU', 'TEAMID1234'],
    ['O', 'Example Corp'],
    ['C', 'US'],
  ]);
  const issuer = name([
    ['CN', 'Apple Worldwide Developer Relations Certification Authority'],
    ['O', 'Apple Inc.'],
    ['C', 'US'],
  ]);
  const exts: Buffer[] = [];
  if (spec.development) exts.push(seq(oid('1.2.840.113635.100.6.3.1'), tlv(0x04, nul())));
  if (spec.production) exts.push(seq(oid('1.2.840.113635.100.6.3.2'), tlv(0x04, nul())));
  if (spec.topics)
    exts.push(seq(oid('1.2.840.113635.100.6.3.6'), tlv(0x04, seq(...spec.topics.flatMap((t) => [utf8(t), seq(utf8(t.endsWith('.voip') ? 'voip' : 'app'))])))));
  const tbs = seq(
    tlv(0xa0, int(2)),
    int(7),
    alg,
    issuer,
    seq(utcTime(spec.notBefore), utcTime(spec.notAfter)),
    subject,
    key.publicKey.export({ type: 'spki', format: 'der' }),
    ...(exts.length ? [tlv(0xa3, seq(...exts))] : []),
  );
  const signature = sign('sha256', tbs, key.privateKey);
  return seq(tbs, alg, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}

export function pem(der: Buffer): string {
  const b64 = der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
