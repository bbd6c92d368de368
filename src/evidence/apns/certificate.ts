import { X509Certificate } from 'node:crypto';
import type { Fact } from '../../facts/schema.js';
import { problemOf, sourceOf, type Item, type ReadResult } from '../types.js';
import { children, readTlv, type Tlv } from '../asn1.js';
import { findByOid, oidBytes, stringsUnder } from './certExtensions.js';
import type { ApnsEnvironment } from './hosts.js';
import { nameFields, nameValue } from './subject.js';

/** Apple's push extensions: development, production, and the list of topics. */
const EXT_DEVELOPMENT = oidBytes('1.2.840.113635.100.6.3.1');
const EXT_PRODUCTION = oidBytes('1.2.840.113635.100.6.3.2');
const EXT_TOPICS = oidBytes('1.2.840.113635.100.6.3.6');

export interface PushCertificate {
  topic?: string;
  kind: 'mdm' | 'app';
  subjectCn?: string;
  notBefore: string;
  notAfter: string;
  environments: ApnsEnvironment[];
  /** Where the environment came from, for the reader's attrs. */
  environmentFrom?: 'extension' | 'subject';
  extraTopics: string[];
}

/**
 * The tbsCertificate's extensions: X509Certificate hands out only the ones
 * every certificate has, not Apple's push extensions.
 */
function extensionsOf(der: Buffer): Tlv | undefined {
  const cert = readTlv(der, 0);
  const tbs = cert && children(der, cert)[0];
  return tbs && children(der, tbs).find((k) => k.tag === 0xa3);
}

function environmentFromCn(cn: string | undefined): ApnsEnvironment[] {
  if (!cn) return [];
  if (/^APSP:/i.test(cn)) return ['production']; // MDM push certificates only talk to production.
  if (/Development .*Push Services|Sandbox .*Push/i.test(cn)) return ['development'];
  if (/Production .*Push Services/i.test(cn)) return ['production'];
  // "Apple Push Services: <bundle id>" (universal) and VoIP certificates serve both.
  if (/Apple Push Services|VoIP Services|Pass Type ID|Website Push ID/i.test(cn))
    return /Website Push ID|Pass Type ID/i.test(cn) ? ['production'] : ['development', 'production'];
  return [];
}

/**
 * Reads one certificate's DER. Throws only from node:crypto on input that is
 * not a certificate; callers turn that into a problem.
 */
function parsePushCertificate(der: Buffer): PushCertificate {
  const x = new X509Certificate(der);
  const subject = nameFields(x.subject);
  // Subject UID (userId, 0.9.2342.19200300.100.1.1): Apple puts the push topic here.
  const topic = nameValue(subject, 'UID', '0.9.2342.19200300.100.1.1')?.trim() || undefined;
  const extensions = extensionsOf(der);
  const envs = new Set<ApnsEnvironment>();
  const extraTopics: string[] = [];
  let environmentFrom: PushCertificate['environmentFrom'];
  if (extensions) {
    if (findByOid(der, extensions, EXT_DEVELOPMENT, 1).length) envs.add('development');
    if (findByOid(der, extensions, EXT_PRODUCTION, 1).length) envs.add('production');
    if (envs.size) environmentFrom = 'extension';
    const topicsExt = findByOid(der, extensions, EXT_TOPICS, 1)[0];
    const octet = topicsExt?.find((t) => t.tag === 0x04);
    const inner = octet ? readTlv(der, octet.start, octet.end) : undefined;
    if (inner) for (const s of stringsUnder(der, inner)) if (/\./.test(s) && s !== topic && !extraTopics.includes(s)) extraTopics.push(s);
  }
  const subjectCn = nameValue(subject, 'CN');
  if (!envs.size) {
    for (const e of environmentFromCn(subjectCn)) envs.add(e);
    if (envs.size) environmentFrom = 'subject';
  }
  return {
    ...(topic ? { topic } : {}),
    kind: topic?.startsWith('com.apple.mgmt.') || /^APSP:/i.test(subjectCn ?? '') ? 'mdm' : 'app',
    ...(subjectCn ? { subjectCn } : {}),
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
    environments: [...envs].sort(),
    ...(environmentFrom ? { environmentFrom } : {}),
    extraTopics,
  };
}

/** Facts for one certificate found in `item` (at `line` for PEM blocks in text). */
export function certificateFacts(der: Buffer, item: Item, line?: number): ReadResult {
  let cert: PushCertificate;
  try {
    cert = parsePushCertificate(der);
  } catch (e) {
    return {
      facts: [],
      problems: [problemOf(item, 'cert.malformed', `holds a certificate that could not be parsed (${(e as Error).message})${line ? ` at line ${line}` : ''}`)],
    };
  }
  if (!cert.topic) {
    // Chains often travel with the push certificate; a CA certificate is not a problem.
    if (/Certification Authority|Root CA|\bCA\b/i.test(cert.subjectCn ?? '')) return { facts: [], problems: [] };
    return {
      facts: [],
      problems: [
        problemOf(
          item,
          'cert.no_topic',
          `holds a certificate${cert.subjectCn ? ` (${cert.subjectCn})` : ''} without a subject UID, so it is not an APNs push certificate`,
        ),
      ],
    };
  }
  const source = sourceOf(item, line);
  const attrs: Record<string, string> = { kind: cert.kind, topic: cert.topic };
  const facts: Fact[] = [];
  facts.push({ name: cert.kind === 'mdm' ? 'cert.mdm_topic' : 'cert.topic', value: cert.topic, source, attrs: { ...attrs } });
  if (cert.subjectCn) facts.push({ name: 'cert.subject', value: cert.subjectCn, source, attrs: { ...attrs } });
  facts.push({ name: 'cert.not_before', value: cert.notBefore, source, attrs: { ...attrs } });
  facts.push({ name: 'cert.not_after', value: cert.notAfter, source, attrs: { ...attrs } });
  for (const env of cert.environments)
    facts.push({
      name: 'cert.environment',
      value: env,
      source,
      attrs: { ...attrs, from: cert.environmentFrom ?? 'subject', ...(cert.environments.length > 1 ? { universal: 'true' } : {}) },
    });
  for (const t of cert.extraTopics) facts.push({ name: 'cert.extra_topic', value: t, source, attrs: { ...attrs } });
  return { facts, problems: [] };
}
