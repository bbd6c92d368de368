import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBuffer } from '../../src/evidence/dispatch.js';
import { deriveFacts } from '../../src/facts/derive/index.js';
import { ctx, FIXTURES, named, readFixtures } from './helpers.js';

const value = (facts: { name: string; value: unknown }[], name: string) => named(facts as never, name).map((f) => f.value);
const lineOf = (f: { source: { kind: string; line?: number } }) => (f.source.kind === 'file' ? f.source.line : undefined);

describe('CtxLog_AppPolicies.xml: the four PushNotifications* entities, however the file writes them', () => {
  it('reads <policy name=… value=…/> elements, each with its line', async () => {
    const { facts, problems } = await readFixtures('push_off');
    expect(problems).toEqual([]);
    const push = named(facts, 'securemail.policy.push_enabled');
    expect(push.map((f) => f.value)).toEqual([false]);
    expect(lineOf(push[0])).toBe(4);
    expect(value(facts, 'securemail.policy.listener_host')).toEqual(['us-east-1.mailboxlistener.xm.citrix.com']);
    expect(value(facts, 'securemail.policy.tenant_id')).toEqual(['']);
    expect(value(facts, 'securemail.policy.exchange_server')).toEqual(['mail.example.com']);
    expect(value(facts, 'securemail.policy.read')).toEqual([true]);
  });

  it("reads a plist (<key>…</key><true/>) without taking a neighbour key's value", async () => {
    const { facts } = await readFixtures('healthy/CtxLog_AppPolicies.xml');
    expect(value(facts, 'securemail.policy.push_enabled')).toEqual([true]);
    expect(value(facts, 'securemail.policy.listener_host')).toEqual(['https://us-east-1.mailboxlistener.xm.citrix.com']);
    expect(value(facts, 'securemail.policy.tenant_id')).toEqual(['']);
    expect(value(facts, 'securemail.policy.ews_host')).toEqual(['ews.example.com']);
  });

  it('prefers PolicyValue over PolicyDefault in MDX-style <Policy> blocks and decodes &amp;', async () => {
    const { facts } = await readFixtures('mdx');
    expect(value(facts, 'securemail.policy.push_enabled')).toEqual([true]);
    expect(value(facts, 'securemail.policy.listener_host')).toEqual(['listener & push (ask IT)']);
  });

  it('reads one element per entity from a UTF-8 file with a BOM, CDATA and an empty element', async () => {
    const { facts, problems } = await readFixtures('elements');
    expect(problems).toEqual([]);
    expect(value(facts, 'securemail.policy.push_enabled')).toEqual([true]);
    expect(value(facts, 'securemail.policy.ews_host')).toEqual(['']);
    expect(value(facts, 'securemail.policy.exchange_server')).toEqual(['mail.example.com']);
  });

  it('keeps what a truncated file holds, says it is truncated, and does not claim the file was complete', async () => {
    const { facts, problems } = await readFixtures('truncated');
    expect(value(facts, 'securemail.policy.push_enabled')).toEqual([true]);
    expect(value(facts, 'securemail.policy.read')).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['securemail.policies_truncated']);
    expect(problems[0].message).toMatch(/cut off/);
  });

  it('says so when the file names none of the push entities', async () => {
    const { facts, problems } = await readFixtures('unset');
    expect(value(facts, 'securemail.policy.exchange_server')).toEqual(['mail.example.com']);
    expect(named(facts, 'securemail.policy.push_enabled')).toEqual([]);
    expect(problems).toEqual([]); // ExchangeServer was recognised, so the layout is known: push is simply unset
  });

  it('never expands declared entities (no billion laughs, no external files)', async () => {
    const lol = [
      '<!ENTITY a "aaaaaaaaaa">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`),
    ].join('\n');
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE p [\n${lol}\n<!ENTITY ext SYSTEM "file:///etc/passwd">\n]>\n<p><policy name="PushNotificationsListenerServiceHostName">&j;&ext;</policy></p>`;
    const r = await readBuffer({ input: 'CtxLog_AppPolicies.xml' }, Buffer.from(xml), ctx);
    expect(value(r.facts, 'securemail.policy.listener_host')).toEqual(['&j;&ext;']);
  });

  it('rejects binary garbage and empty files with a clear problem', async () => {
    const garbage = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256));
    const bad = await readBuffer({ input: 'CtxLog_AppPolicies.xml' }, garbage, ctx);
    expect(bad.facts).toEqual([]);
    expect(bad.problems.map((p) => p.code)).toContain('securemail.policies_not_text');
    const empty = await readBuffer({ input: 'CtxLog_AppPolicies.xml' }, Buffer.alloc(0), ctx);
    expect(empty.problems.map((p) => p.code)).toContain('securemail.policies_empty');
  });

  it('recognises the file name in any case, and as an archive member', async () => {
    const xml = readFileSync(join(FIXTURES, 'push_off/CtxLog_AppPolicies.xml'));
    const r = await readBuffer({ input: 'logs.zip', member: 'SecureMail/Ctxlog_AppPolicies.xml' }, xml, ctx);
    const push = named(r.facts, 'securemail.policy.push_enabled');
    expect(push[0].source).toEqual({ kind: 'file', input: 'logs.zip', member: 'SecureMail/Ctxlog_AppPolicies.xml', line: 4 });
  });
});

describe('CtxLog_APNS_Events.csv: one fact per subscription event', () => {
  it('reads UTF-16LE with a BOM and a header, classifying each step', async () => {
    const { facts, problems } = await readFixtures('healthy/CtxLog_APNS_Events.csv');
    expect(problems).toEqual([]);
    const events = named(facts, 'securemail.apns_event');
    expect(events.map((e) => e.attrs?.operation)).toEqual(['tenant_id', 'registration', 'ews_subscription', 'listener_update', 'validation']);
    expect(events.every((e) => e.attrs?.outcome === 'success')).toBe(true);
    expect(events[0].at).toBe('2016-12-01T12:40:02.118Z');
    expect(lineOf(events[0])).toBe(2);
  });

  it('reads semicolons, quotes and moved columns by their header names, and says why steps failed', async () => {
    const { facts } = await readFixtures('failing/CtxLog_APNS_Events.csv');
    const failed = named(facts, 'securemail.apns.failed_operation').map((f) => `${f.value}:${f.attrs?.reason}`);
    expect(failed).toEqual(['tenant_id:http_500', 'registration:network', 'ews_subscription:http_413', 'ews_subscription:auth', 'validation:invalid']);
    // The zone in brackets is honoured: 08:00:01 at +0100 is 07:00:01 UTC.
    expect(named(facts, 'securemail.apns_event')[0].at).toBe('2016-12-02T07:00:01.100Z');
  });

  it('reads a UTF-16BE file without a header, finding the time column by its content', async () => {
    const { facts } = await readFixtures('headerless');
    const events = named(facts, 'securemail.apns_event');
    expect(events.map((e) => [e.value, e.attrs?.outcome, e.at])).toEqual([
      ['Subscribe to push notifications', 'success', '2016-12-03T09:00:00.000Z'],
      ['Validate subscription', 'failure', '2016-12-03T09:30:00.000Z'],
    ]);
  });

  it('keeps the listener token as a secret fact and only its last characters on the event', async () => {
    const { facts } = await readFixtures('healthy/CtxLog_APNS_Events.csv');
    const token = 'c3f1a7d2e9b84f6a0d5c2e7b9a1f3d8c';
    expect(value(facts, 'securemail.apns.listener_token')).toContain(token);
    for (const e of named(facts, 'securemail.apns_event')) expect(JSON.stringify(e)).not.toContain(token);
    expect(named(facts, 'securemail.apns_event')[1].attrs?.token).toBe('…3d8c');
  });

  it('folds a day of repeated validity checks into one fact per outcome, and the latest check still decides', async () => {
    // Secure Mail checks its subscription every half hour: 40 passes, then 8 failures, then passes again.
    const header = 'Time,Operation,Status,Tenant ID,Listener Token,Tenant ID + Listener Token';
    const tenant = '0f3c9a52-7e1b-4c8d-9a61-2b5e8d4f7c10';
    const token = 'c3f1a7d2e9b84f6a0d5c2e7b9a1f3d8c';
    const at = (i: number) => `0${1 + Math.floor(i / 48)}-Dec-2016 ${String(Math.floor((i % 48) / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}:00:000 (+0000)`;
    const rows = Array.from({ length: 60 }, (_, i) => {
      const status = i >= 40 && i < 48 ? 'Failed: subscription not valid' : 'Valid';
      return `${at(i)},Validate subscription,${status},${tenant},${token},${tenant}${token}`;
    });
    const csv = [header, ...rows].join('\r\n');
    const r = await readBuffer({ input: 'CtxLog_APNS_Events.csv' }, Buffer.from(csv), ctx);
    expect(r.problems).toEqual([]);
    const events = named(r.facts, 'securemail.apns_event');
    expect(events.map((e) => [e.attrs?.outcome, e.fold?.count ?? 1])).toEqual([
      ['success', 52],
      ['failure', 8],
    ]);
    expect(events[0].fold?.firstAt).toBe('2016-12-01T00:00:00.000Z');
    expect(events[0].fold?.lastAt).toBe('2016-12-02T05:30:00.000Z');
    expect(named(r.facts, 'securemail.apns.listener_token').map((f) => f.fold?.count)).toEqual([60]);
    // The passes after the failures are the latest: the last row, not the first of its fold, decides.
    const latest = named(deriveFacts(r.facts), 'securemail.apns.last_validation_status');
    expect(latest.map((f) => [f.value, f.at])).toEqual([['success', '2016-12-02T05:30:00.000Z']]);
  });

  it('a table whose every row is written differently still comes to a few hundred facts, every row counted', async () => {
    const header = 'Time,Operation,Status,Tenant ID,Listener Token';
    const rows = Array.from(
      { length: 1000 },
      (_, i) => `2016-12-01 10:${String(i % 60).padStart(2, '0')}:00,Register device ${i},${i % 2 ? 'Success' : `Error ${i}: timed out`},t${i},tok${i}`,
    );
    const r = await readBuffer({ input: 'CtxLog_APNS_Events.csv' }, Buffer.from([header, ...rows].join('\n')), ctx);
    expect(r.facts.length).toBeLessThan(1000);
    const events = named(r.facts, 'securemail.apns_event');
    expect(events.reduce((n, e) => n + (e.fold?.count ?? 1), 0)).toBe(1000);
    const byKind = events.filter((e) => e.attrs?.folded === 'by kind');
    expect(byKind.map((e) => [e.attrs?.operation, e.attrs?.outcome, e.attrs?.reason])).toEqual([
      ['registration', 'failure', 'network'],
      ['registration', 'success', undefined],
      // Row 500's status, "Error 500: timed out", reads as an HTTP 500: a kind of its own.
      ['registration', 'failure', 'http_500'],
    ]);
    expect(r.problems.map((p) => p.code)).toEqual(['securemail.csv_folded']);
    expect(r.problems[0].message).toMatch(/800 row\(s\) wrote their step or status .*; 800 row\(s\) gave a securemail.apns.tenant_id beyond the first 200/);
  });

  it('works out the latest subscription and validation outcomes', async () => {
    const { facts } = await readFixtures('headerless');
    const all = deriveFacts(facts);
    expect(value(all, 'securemail.apns.last_subscription_status')).toEqual(['success']);
    expect(value(all, 'securemail.apns.last_validation_status')).toEqual(['failure']);
  });

  it('rejects binary garbage named .csv', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
    for (const [name, code] of [
      ['CtxLog_APNS_Events.csv', 'securemail.csv_not_text'],
      ['CTXLog_backgroundFetchSchedule.csv', 'securemail.csv_not_text'],
      ['CtxLog_SecureMail.csv', 'securemail.log_not_text'],
    ]) {
      const r = await readBuffer({ input: name }, garbage, ctx);
      expect(r.facts.filter((f) => f.name.startsWith('securemail.'))).toEqual([]);
      expect(r.problems.find((p) => p.code === code)?.message, name).toMatch(/is not text/);
    }
  });

  it('says so when a file of that name holds no events', async () => {
    const r = await readBuffer({ input: 'CtxLog_APNS_Events.csv' }, Buffer.from('\n\n'), ctx);
    expect(r.problems.map((p) => p.code)).toEqual(['securemail.csv_empty']);
  });
});

describe('CTXLog_backgroundFetchSchedule.csv: when pushes woke the app', () => {
  it("reads the seed's own sample, cells run together, and finds the last push and the largest gap", async () => {
    const { facts, problems } = await readFixtures('healthy/CTXLog_backgroundFetchSchedule.csv');
    expect(problems).toEqual([]);
    const wakes = named(facts, 'securemail.fetch.wakeup');
    expect(wakes).toHaveLength(11);
    expect(wakes[0]).toMatchObject({
      value: 'background_fetch',
      at: '2016-12-01T12:47:19.310Z',
      attrs: { end: '2016-12-01T12:47:34.826Z', seconds: '15', result: 'UIBackgroundFetchResultNewData' },
    });
    const all = deriveFacts(facts);
    expect(value(all, 'securemail.fetch.remote_notifications')).toEqual([8]);
    expect(value(all, 'securemail.fetch.background_fetches')).toEqual([3]);
    expect(value(all, 'securemail.fetch.last_remote_notification')).toEqual(['2016-12-01T13:09:31.460Z']);
    const gap = named(all, 'securemail.fetch.largest_gap_seconds')[0];
    expect(gap.value).toBe(310); // 12:55:41.419 → 13:00:51.084
    expect(gap.attrs).toEqual({ from: '2016-12-01T12:55:41.419Z', to: '2016-12-01T13:00:51.084Z' });
    expect(value(all, 'securemail.fetch.span_seconds')).toEqual([1332]);
    expect(value(all, 'securemail.fetch.only_background_fetch')).toEqual([false]);
  });

  it('reads UTF-16LE, tab-separated, with the columns in another order by their header', async () => {
    const { facts } = await readFixtures('no_push');
    const wakes = named(facts, 'securemail.fetch.wakeup');
    expect(wakes.map((w) => [w.value, w.at, w.attrs?.end, w.attrs?.seconds])).toEqual([
      ['background_fetch', '2016-12-02T09:00:00.000Z', '2016-12-02T09:00:14.000Z', '14'],
      ['background_fetch', '2016-12-02T09:31:00.500Z', '2016-12-02T09:31:10.500Z', '10'],
      ['background_fetch', '2016-12-02T10:45:00.000Z', '2016-12-02T10:45:22.000Z', '22'],
    ]);
    const all = deriveFacts(facts);
    expect(value(all, 'securemail.fetch.only_background_fetch')).toEqual([true]);
    expect(value(all, 'securemail.fetch.push_silence_seconds')).toEqual([6300]);
    expect(value(all, 'securemail.fetch.last_remote_notification')).toEqual([]);
  });

  it("reads a comma-separated, quoted copy with a header in the seed's column order", async () => {
    const csv =
      'Type,Start,End,Seconds,Result\r\n"Remote Notification","01-Dec-2016 12:47:41:727 (+0000)","01-Dec-2016 12:47:44:488 (+0000)",2,UIBackgroundFetchResultNewData\r\n';
    const r = await readBuffer({ input: 'CTXLog_backgroundFetchSchedule.csv' }, Buffer.from(csv), ctx);
    expect(named(r.facts, 'securemail.fetch.wakeup').map((w) => [w.value, w.at, w.attrs?.seconds])).toEqual([
      ['remote_notification', '2016-12-01T12:47:41.727Z', '2'],
    ]);
  });
});

describe('the Secure Mail app log: errors of the Secure Mail.APNS module', () => {
  it('finds the Module column by name and reads only APNS lines for push errors', async () => {
    const { facts, problems } = await readFixtures('failing/CtxLog_SecureMail.csv');
    expect(problems).toEqual([]);
    expect(value(facts, 'securemail.log.apns_lines')).toEqual([7]);
    // The ActiveSync module's timeout is mail sync, not push: only the APNS one counts.
    expect(named(facts, 'securemail.log.network_error').map((f) => f.attrs?.code)).toEqual(['-1001']);
    expect(named(facts, 'securemail.log.http_500')[0].attrs?.target).toBe('listener');
    expect(named(facts, 'securemail.log.http_413')).toHaveLength(1);
    expect(named(facts, 'securemail.log.ews_auth_failure')[0].attrs?.code).toBe('401');
    expect(named(facts, 'securemail.log.no_device_token')).toHaveLength(1);
    expect(named(facts, 'securemail.log.subscription_invalid')).toHaveLength(1);
  });

  it('reads the multi-line aps-environment error as one entry on the line it starts', async () => {
    const { facts } = await readFixtures('failing/CtxLog_SecureMail.csv');
    const e = named(facts, 'securemail.log.missing_entitlement');
    expect(e).toHaveLength(1);
    expect(lineOf(e[0])).toBe(4);
    expect(e[0].value).toMatch(/no valid 'aps-environment' entitlement string found/);
    expect(e[0].at).toBe('2016-12-02T07:00:00.500Z');
    // The same entry is not also counted as a failure to get a token.
    expect(named(facts, 'securemail.log.no_device_token').map(lineOf)).toEqual([12]);
  });

  it('picks up device states from any module: Background App Refresh and Low Power Mode', async () => {
    const { facts } = await readFixtures('failing/CtxLog_SecureMail.csv');
    expect(named(facts, 'securemail.log.background_refresh_denied')[0].attrs?.status).toBe('UIBackgroundRefreshStatusDenied');
    expect(named(facts, 'securemail.log.low_power_on')).toHaveLength(1);
  });

  it('reads a free-text log and never keeps the device token it prints', async () => {
    const { facts } = await readFixtures('healthy/CtxLog_SecureMail.txt');
    const got = named(facts, 'securemail.log.device_token_received');
    expect(got).toHaveLength(1);
    expect(String(got[0].value)).not.toMatch(/a1b2c3d4/);
    expect(String(got[0].value)).toMatch(/didRegisterForRemoteNotificationsWithDeviceToken/);
    expect(named(facts, 'securemail.log.low_power_off')).toHaveLength(1);
    expect(named(facts, 'securemail.log.subscription_valid')).toHaveLength(1);
  });

  it('reads the same log saved as UTF-16LE and as semicolon-separated UTF-8 with a BOM', async () => {
    const text = readFileSync(join(FIXTURES, 'failing/CtxLog_SecureMail.csv'), 'utf8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    // Excel in a semicolon locale: the three separators of each entry's first line become semicolons.
    const semiText = text
      .split('\n')
      .map((l) => (/^(\d|Date)/.test(l) ? l.replace(/,/, ';').replace(/,/, ';').replace(/,/, ';') : l))
      .join('\n');
    const semi = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(semiText)]);
    const plain = await readFixtures('failing/CtxLog_SecureMail.csv');
    for (const data of [utf16, semi]) {
      const r = await readBuffer({ input: 'CtxLog_SecureMail.csv' }, data, ctx);
      const kinds = (fs: typeof r.facts) =>
        fs
          .filter((f) => f.name.startsWith('securemail.log.'))
          .map((f) => `${f.name}@${lineOf(f)}`)
          .sort();
      expect(kinds(r.facts)).toEqual(kinds(plain.facts));
    }
  });

  it('accepts pasted Secure Mail.APNS lines by their module name', async () => {
    const paste = '2016-12-02 08:01:00.100 +0100 ERROR Secure Mail.APNS EWS subscribe failed with HTTP status 413\n';
    const r = await readBuffer({ input: 'pasted text', pasted: true }, Buffer.from(paste), ctx);
    const f = named(r.facts, 'securemail.log.http_413');
    expect(f).toHaveLength(1);
    expect(f[0].source).toEqual({ kind: 'pasted', input: 'pasted text', line: 1 });
    expect(f[0].at).toBe('2016-12-02T07:01:00.100Z');
  });

  it('says when a log has modules but none of them is APNS', async () => {
    const csv = 'Date,Module,Message\n02-Dec-2016 08:00:00:000 (+0000),Secure Mail.ActiveSync,Sync completed\n';
    const r = await readBuffer({ input: 'CtxLog_SecureMail.csv' }, Buffer.from(csv), ctx);
    expect(r.problems.map((p) => p.code)).toEqual(['securemail.log_no_apns']);
    expect(value(r.facts, 'securemail.log.apns_lines')).toEqual([0]);
  });
});
