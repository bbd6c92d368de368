import { describe, expect, it } from 'vitest';
import { readBuffer } from '../../src/evidence/dispatch.js';
import { scanXml, walk } from '../../src/evidence/securemail/elementTree.js';
import { ctx, named } from './helpers.js';

/** Policy files as people hand them over: cut off, hand-edited, or not policy files at all. */
const read = (xml: string) => readBuffer({ input: 'CtxLog_AppPolicies.xml' }, Buffer.from(xml), ctx);
const values = (facts: { name: string; value: unknown }[], name: string) => named(facts as never, name).map((f) => f.value);

const MDX = (inner: string) => `<?xml version="1.0" encoding="utf-8"?>
<MDXPolicies>
  <Policy>
    <PolicyName>PushNotificationsEnabled</PolicyName>
    <PolicyDefault>false</PolicyDefault>
${inner}    <PolicyValue>true</PolicyValue>
  </Policy>
  <Policy>
    <PolicyName>PushNotificationsListenerServiceHostName</PolicyName>
    <PolicyValue>us-east-1.mailboxlistener.xm.citrix.com</PolicyValue>
  </Policy>
</MDXPolicies>
`;

describe('a policy file with damage is still read for what it holds', () => {
  it('a stray end tag inside a <Policy> is noted and ignored: each name keeps its own value', async () => {
    const r = await read(MDX('    </Comment>\n'));
    expect(values(r.facts, 'securemail.policy.push_enabled')).toEqual([true]);
    expect(values(r.facts, 'securemail.policy.listener_host')).toEqual(['us-east-1.mailboxlistener.xm.citrix.com']);
    expect(r.problems.map((p) => [p.code, p.message])).toEqual([
      ['securemail.policies_malformed', expect.stringContaining('</Comment> on line 6 closes nothing that is open')],
    ]);
  });

  it("an element left open is closed by its parent's end tag, and said so", () => {
    const scan = scanXml('<a>\n  <b>\n    <c>x</c>\n</a>\n');
    expect(scan.issues).toEqual([{ kind: 'mismatch', message: expect.stringContaining('<b> (line 2) is not closed'), line: 4 }]);
    const [a] = scan.root.children;
    expect(a!.children.map((e) => e.name)).toEqual(['b']);
    expect(a!.children[0]!.children.map((e) => [e.name, e.text, e.line])).toEqual([['c', 'x', 3]]);
  });

  it('a file cut off inside a tag keeps every element before it and says what was left open', () => {
    const scan = scanXml('<AppPolicies>\n  <policy name="PushNotificationsEnabled" value="true"/>\n  <policy name="ExchangeServer" val');
    expect([...walk(scan.root)].map((e) => e.attrs.name ?? e.name)).toEqual(['AppPolicies', 'PushNotificationsEnabled']);
    expect(scan.issues).toEqual([
      { kind: 'truncated', message: 'the document is cut off inside a tag with 1 element(s) still open: <AppPolicies> (line 1)', line: 3 },
    ]);
  });

  it('lines are those of the file: blank lines before the declaration, start tags over several lines', () => {
    const scan = scanXml('\n\n<?xml version="1.0"?>\n<AppPolicies>\n  <policy\n     name="PushNotificationsEnabled"\n     value="true"/>\n</AppPolicies>\n');
    expect(scan.issues).toEqual([]);
    expect([...walk(scan.root)].map((e) => e.line)).toEqual([4, 5]);
  });
});

describe('hostile policy files are bounded', () => {
  it.each([
    ['10,000 nested elements', `<p>${'<a>'.repeat(10_000)}`, /nest deeper than 256 levels/],
    ['200,000 empty elements', `<p>${'<a/>'.repeat(200_000)}</p>`, /more than 100000 elements/],
  ])('%s: one problem', { timeout: 60_000 }, async (_what, xml, message) => {
    const r = await read(xml);
    expect(r.problems.map((p) => p.message)).toEqual([expect.stringMatching(message), expect.stringContaining('holds none of the PushNotifications')]);
  });

  // How fast it goes is bench:hostile's business; here, that the problems stay few.
  it('a million errors in one file are a handful of problems', { timeout: 60_000 }, async () => {
    const r = await read(`<p>${'&;'.repeat(1_000_000)}</p>`);
    expect(r.problems.filter((p) => p.code === 'securemail.policies_malformed')).toHaveLength(5);
  });

  it('a parameter entity and an external entity in the DOCTYPE are neither fetched nor expanded', async () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE p [\n<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd">\n%remote;\n<!ENTITY host SYSTEM "file:///etc/hostname">\n]>\n<p><policy name="ExchangeServer" value="&host;"/></p>`;
    const r = await read(xml);
    expect(values(r.facts, 'securemail.policy.exchange_server')).toEqual(['&host;']);
  });

  it('text that is not XML at all is said to hold no XML elements', async () => {
    const r = await read('ExchangeServer = mail.example.com\nPushNotificationsEnabled = true\n');
    expect(r.facts).toEqual([]);
    expect(r.problems.map((p) => [p.code, p.message])).toEqual([['securemail.policies_malformed', expect.stringContaining('holds no XML elements')]]);
  });
});
