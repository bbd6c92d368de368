import { readFileSync } from 'node:fs';
import * as plist from 'plist';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePlist } from '../../src/evidence/plist/index.js';
import { bp, fixture, mdmProblems, read } from './helpers.js';

const codes = (r: { problems: { code: string }[] }) => r.problems.map((p) => p.code);

function mdmBinary(): Buffer {
  return Buffer.from(plist.buildBinary(plist.parse(readFileSync(fixture('MDM.plist'), 'utf8')) as never));
}

afterEach(() => vi.restoreAllMocks());

describe('bad plists become a problem that names the file and what is wrong, never an exception', () => {
  it('not a plist at all, under the name MDM.plist', async () => {
    const r = await read('MDM.plist', Buffer.from('PushMagic = 1234\n'));
    expect(r.facts).toEqual([]);
    expect(r.problems).toEqual([{ input: 'MDM.plist', code: 'plist.not_plist', message: expect.stringMatching(/not a property list/) }]);
  });

  it('an empty MDM.plist', async () => {
    const r = await read('MDM.plist', Buffer.alloc(0));
    expect(r.problems).toEqual([{ input: 'MDM.plist', code: 'plist.empty', message: 'is empty' }]);
  });

  it('XML cut off half way (a truncated download)', async () => {
    const whole = readFileSync(fixture('server/TokenUpdate_iPhone.plist'));
    const r = await read('TokenUpdate.plist', whole.subarray(0, Math.floor(whole.length / 2)));
    expect(r.facts).toEqual([]);
    expect(codes(r)).toEqual(['plist.truncated']);
    expect(r.problems[0].message).toMatch(/cut off/);
  });

  it('XML with errors the parser only prints: reported, and nothing printed (the text can hold secrets)', async () => {
    const err = vi.spyOn(console, 'error');
    const warn = vi.spyOn(console, 'warn');
    const r = await read('MDM.plist', Buffer.from('<plist><dict><key>PushMagic</key><string>&secret;</string></dict></plist>'));
    expect(codes(r)).toEqual(['plist.malformed']);
    expect(r.facts).toEqual([]);
    expect(err).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('XML that is not a plist (another root element)', async () => {
    const r = parsePlist(Buffer.from('<?xml version="1.0"?><html><body/></html>'));
    expect(r).toMatchObject({ ok: false, code: 'plist.not_plist' });
  });

  it('a binary plist whose array contains itself', async () => {
    const buf = bp.build([bp.array([0])]);
    const r = await read('MDM.plist', buf);
    expect(codes(r)).toEqual(['plist.cycle']);
    expect(r.problems[0].message).toMatch(/cycle/);
  });

  it('a binary plist whose dictionaries refer to each other', async () => {
    // 0: {k: 2}, 1: "k", 2: {k: 0}
    const buf = bp.build([bp.dict([1], [2]), bp.ascii('k'), bp.dict([1], [0])]);
    expect(codes(await read('profile-x.stub', buf))).toEqual(['plist.cycle']);
  });

  it('a binary plist of shared references that would expand without end (each level points twice at the next)', async () => {
    const objects: Buffer[] = [];
    for (let i = 0; i < 60; i++) objects.push(bp.array([i + 1, i + 1]));
    objects.push(bp.ascii('x'));
    // Expanded, it would be 2^60 objects: the test's own timeout is what an unbounded reader would hit.
    const r = await read('MDM.plist', bp.build(objects));
    expect(codes(r)).toEqual(['plist.too_many_objects']);
  });

  it('…while one value shared by many references (as writers deduplicate) is fine', () => {
    // 0: [1 × 14], 1: true
    const r = parsePlist(bp.build([bp.array(Array(14).fill(1)), Buffer.from([0x09])]));
    expect(r).toMatchObject({ ok: true, value: Array(14).fill(true) });
  });

  it('a trailer claiming an absurd number of objects', async () => {
    const buf = bp.build([bp.ascii('x')], { count: 2 ** 31 });
    const r = await read('MDM.plist', buf);
    expect(codes(r)).toEqual(['plist.too_many_objects']);
  });

  it('more objects than ctx.limits.maxPlistObjects allows', async () => {
    const r = await read('MDM.plist', mdmBinary(), { maxPlistObjects: 5 });
    expect(codes(r)).toEqual(['plist.too_many_objects']);
    expect(r.problems[0].message).toMatch(/limit of 5/);
  });

  it('offsets that point outside the file', async () => {
    const buf = bp.build([bp.ascii('x')]);
    buf.writeUInt16BE(0x7fff, buf.length - 32 - 2); // the only offset
    expect(codes(await read('MDM.plist', buf))).toEqual(['plist.malformed']);
    const lying = bp.build([bp.ascii('x')], { tableOffset: 1_000_000 });
    expect(codes(await read('MDM.plist', lying))).toEqual(['plist.malformed']);
  });

  it('a reference to an object that does not exist', async () => {
    expect(codes(await read('MDM.plist', bp.build([bp.array([5])])))).toEqual(['plist.malformed']);
  });

  it('a binary MDM.plist cut short', async () => {
    const bin = mdmBinary();
    for (const cut of [10, 39, Math.floor(bin.length / 2), bin.length - 1]) {
      const r = await read('MDM.plist', bin.subarray(0, cut));
      expect(r.facts, `cut at ${cut}`).toEqual([]);
      expect(r.problems.length, `cut at ${cut}`).toBe(1);
      expect(r.problems[0].code).toMatch(/^plist\.(truncated|malformed)$/);
    }
  });

  it('XML nested far too deeply', async () => {
    const deep = `<plist>${'<array>'.repeat(20000)}${'</array>'.repeat(20000)}</plist>`;
    const r = await read('MDM.plist', Buffer.from(deep));
    expect(r.problems.length).toBe(1);
    expect(r.problems[0].code).toMatch(/^plist\./);
  });

  it('an XML plist too big to parse without stalling the event loop', () => {
    const big = Buffer.from(`<plist><array>${'<string>x</string>'.repeat(2000)}</array></plist>`);
    expect(parsePlist(big, { maxXmlBytes: 1024 })).toMatchObject({ ok: false, code: 'plist.too_large' });
    expect(parsePlist(big)).toMatchObject({ ok: true });
  });

  it('a CMS envelope with nothing inside', async () => {
    // ContentInfo { signedData OID, [0] { SignedData { version, digestAlgorithms {}, encapContentInfo { data OID } } } }
    const der = Buffer.from('3020' + '06092a864886f70d010702' + 'a013' + '3011' + '020101' + '3100' + '300b' + '06092a864886f70d010701', 'hex');
    const r = await read('enroll.mobileconfig', der);
    expect(codes(r)).toEqual(['plist.cms_no_content']);
  });

  it('a well-formed plist of another kind under an MDM name says so', async () => {
    const r = await read('MDM.plist', Buffer.from('<plist><dict><key>CFBundleIdentifier</key><string>com.acme.app</string></dict></plist>'));
    expect(codes(r)).toEqual(['mdm.plist.unrecognised']);
  });

  it('…but under any other name it is left alone (an Info.plist is not an MDM problem)', async () => {
    const r = await read('Info.plist', Buffer.from('<plist><dict><key>CFBundleIdentifier</key><string>com.acme.app</string></dict></plist>'));
    expect(mdmProblems(r)).toEqual([]);
  });

  it('a webhook whose raw_payload is not a plist, and JSON that is not JSON', async () => {
    const ev = {
      topic: 'mdm.TokenUpdate',
      created_at: '2024-01-01T00:00:00Z',
      checkin_event: { udid: 'U', raw_payload: Buffer.from('hello').toString('base64') },
    };
    const r = await read('webhook.json', Buffer.from(JSON.stringify(ev)));
    // Other domains' readers may have their own remarks on the same JSON; ours is the one about the payload.
    expect(codes({ problems: mdmProblems(r) })).toEqual(['mdm.webhook.plist.not_plist']);
    expect(mdmProblems(r)[0].message).toMatch(/event 1 \(checkin_event\)/);
    const broken = await read('webhook.json', Buffer.from('{"topic": "mdm.TokenUpdate", "checkin_event": {'));
    expect(codes({ problems: mdmProblems(broken) })).toEqual(['mdm.webhook.malformed']);
  });

  it('fragments that do not parse are reported, the ones that do are still read', async () => {
    const text = '<key>Status</key>\n<string>Error</string>\n\n<key>ErrorChain</key>\n<array>\n<dict><key>ErrorCode</key>\n';
    const r = await read('pasted.txt', Buffer.from(text));
    expect(r.facts.filter((f) => f.name === 'mdm.command.status').map((f) => f.value)).toEqual(['Error']);
    expect(codes(r)).toEqual(['mdm.plist.fragment_unreadable']);
    expect(r.problems[0].message).toMatch(/1 of 2 could not be read \(line 4:/);
  });

  it('no problem message repeats a secret value', async () => {
    const value = plist.parse(readFileSync(fixture('MDM.plist'), 'utf8')) as Record<string, unknown>;
    value.LastPushTokenHash = Buffer.from('0123456789abcdef0123456789abcdef01', 'hex');
    const r = await read('MDM.plist', Buffer.from(plist.buildBinary(value as never)));
    const text = JSON.stringify(r.problems);
    expect(text).not.toMatch(/0123456789abcdef/i);
    expect(text).not.toContain('5A1C0E2B');
  });
});
