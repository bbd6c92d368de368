import type { Fact } from '../../facts/schema.js';
import { problemOf, sourceOf, type BufferReader, type Item, type ReadResult } from '../types.js';
import { POLICIES_FILE } from './names.js';
import { decodeText } from './decode.js';
import { scanXml, walk, type XmlElement } from './elementTree.js';

/**
 * CtxLog_AppPolicies.xml: the MDX policies Secure Mail received. No public
 * sample of the file exists, so every plausible way of writing a named
 * value is read:
 *   <PushNotificationsEnabled>true</PushNotificationsEnabled>
 *   <policy name="PushNotificationsEnabled" value="true"/>  (also key=, id=, text content)
 *   <PolicyName>PushNotificationsEnabled</PolicyName><PolicyValue>true</PolicyValue>
 *   <key>PushNotificationsEnabled</key><true/>              (plist)
 */
const ENTITIES = {
  pushnotificationsenabled: 'securemail.policy.push_enabled',
  pushnotificationslistenerservicehostname: 'securemail.policy.listener_host',
  pushnotificationstenantid: 'securemail.policy.tenant_id',
  pushnotificationsewshostname: 'securemail.policy.ews_host',
  exchangeserver: 'securemail.policy.exchange_server',
} as const;
type EntityKey = keyof typeof ENTITIES;

const NAME_ATTRS = ['name', 'key', 'id', 'policyname', 'policy'];
const VALUE_ATTRS = ['value', 'policyvalue', 'val', 'data'];
const KEY_TAGS = /^(key|name|policyname|entityname|policykey)$/i;
/** Sibling elements that hold a named value, best first (an explicit value beats a default). */
const VALUE_TAGS = [/^(policy)?value$/i, /^(string|integer|real|data|date|val)$/i, /^(policy)?default(value)?$/i];

interface Found {
  key: EntityKey;
  raw: string;
  line: number;
}

function entityKey(s: string | undefined): EntityKey | null {
  const k = s?.trim().toLowerCase();
  return k && k in ENTITIES ? (k as EntityKey) : null;
}

function attr(el: XmlElement, names: string[]): string | undefined {
  for (const [k, v] of Object.entries(el.attrs)) if (names.includes(k.toLowerCase())) return v;
  return undefined;
}

/** A plist <true/>/<false/> carries its value in its name. */
function elementValue(el: XmlElement): string {
  if (/^(true|false)$/i.test(el.name) && !el.children.length) return el.name.toLowerCase();
  const a = attr(el, VALUE_ATTRS);
  if (a !== undefined) return a;
  if (el.children.length === 1 && !el.text.trim()) return elementValue(el.children[0]);
  return el.text.trim();
}

function siblingValue(keyEl: XmlElement): XmlElement | undefined {
  const sibs = keyEl.parent?.children ?? [];
  // plist (<key>…</key><string>…</string>) and <entry><key/><value/></entry>: the next element is the value,
  // and a dict holds many pairs, so nothing further away may be taken.
  if (/^key$/i.test(keyEl.name)) return sibs[sibs.indexOf(keyEl) + 1];
  // <policy><PolicyName/>…<PolicyValue/>…</policy>: one policy per parent.
  for (const re of VALUE_TAGS) {
    const hit = sibs.find((s) => s !== keyEl && re.test(s.name));
    if (hit) return hit;
  }
  return undefined;
}

function findEntities(root: XmlElement): Found[] {
  const out: Found[] = [];
  for (const el of walk(root)) {
    const byTag = entityKey(el.name);
    if (byTag) {
      out.push({ key: byTag, raw: elementValue(el), line: el.line });
      continue;
    }
    const byAttr = entityKey(attr(el, NAME_ATTRS));
    if (byAttr) {
      const a = attr(el, VALUE_ATTRS);
      const v = a ?? (el.children.length ? siblinglessValue(el) : el.text.trim());
      out.push({ key: byAttr, raw: v, line: el.line });
      continue;
    }
    if (KEY_TAGS.test(el.name) && !el.children.length) {
      const byText = entityKey(el.text);
      if (byText) {
        const v = siblingValue(el);
        out.push({ key: byText, raw: v ? elementValue(v) : '', line: v?.line ?? el.line });
      }
    }
  }
  return out;
}

/** <policy name="X"><value>…</value></policy>: the value is a child. */
function siblinglessValue(el: XmlElement): string {
  for (const re of VALUE_TAGS) {
    const hit = el.children.find((c) => re.test(c.name));
    if (hit) return elementValue(hit);
  }
  return elementValue(el);
}

function parseBool(raw: string): boolean | null {
  const v = raw.trim().toLowerCase();
  if (['true', 'yes', 'on', '1', 'enabled'].includes(v)) return true;
  if (['false', 'no', 'off', '0', 'disabled'].includes(v)) return false;
  return null;
}

function readAppPolicies(data: Buffer, item: Item): ReadResult {
  const decoded = decodeText(data);
  if (!decoded.ok)
    return { facts: [], problems: [problemOf(item, 'securemail.policies_not_text', `${decoded.reason}; expected Secure Mail's app policies as XML`)] };
  if (!decoded.text.trim())
    return { facts: [], problems: [problemOf(item, 'securemail.policies_empty', "is empty; expected Secure Mail's app policies as XML")] };
  const scan = scanXml(decoded.text);
  // The first sign of truncation says it all; the open elements it leaves behind are not news.
  const issues = scan.issues.filter((i, k) => i.kind !== 'truncated' || scan.issues.findIndex((j) => j.kind === 'truncated') === k);
  const problems = issues
    .slice(0, 5)
    .map((i) =>
      problemOf(
        item,
        i.kind === 'truncated' ? 'securemail.policies_truncated' : 'securemail.policies_malformed',
        `is not complete XML: ${i.message}; the policies before that point were read`,
      ),
    );
  const facts: Fact[] = [];
  for (const f of findEntities(scan.root)) {
    const name = ENTITIES[f.key];
    if (name === 'securemail.policy.push_enabled') {
      const b = parseBool(f.raw);
      if (b === null) {
        problems.push(
          problemOf(item, 'securemail.policy_value', `PushNotificationsEnabled on line ${f.line} is "${f.raw.slice(0, 40)}", which is neither true nor false`),
        );
        continue;
      }
      facts.push({ name, value: b, source: sourceOf(item, f.line) });
    } else facts.push({ name, value: f.raw, source: sourceOf(item, f.line) });
  }
  const complete = !scan.issues.some((i) => i.kind === 'truncated');
  if (complete && scan.root.children.length) facts.push({ name: 'securemail.policy.read', value: true, source: sourceOf(item) });
  if (!facts.some((f) => f.name !== 'securemail.policy.read') && scan.root.children.length)
    problems.push(
      problemOf(
        item,
        'securemail.policies_none',
        'holds none of the PushNotifications* entities nor ExchangeServer: either push is not configured at all or the file is laid out in a way pushcheck does not know',
      ),
    );
  return { facts, problems };
}

export const appPoliciesReader: BufferReader = {
  id: 'securemail.app_policies',
  kind: 'buffer',
  accepts: (name) => POLICIES_FILE.test(name),
  read: (data, item) => readAppPolicies(data, item),
};
