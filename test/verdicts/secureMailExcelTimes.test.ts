import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { scratchDir } from '../support/scratch.js';
import { cause, diagnose, facts } from './evidence.js';

/**
 * Troubleshooting step (seed 003): "did the subscription go through after it failed?". The app log writes its
 * times with their zone, `02-Dec-2016 08:00:31:200 (+0100)`; CtxLog_APNS_Events.csv, once opened and re-saved
 * in Excel, keeps only the wall clock (`12/2/2016 7:30`). Here the device (UTC+1) subscribed at 07:30 its
 * time (06:30 UTC) and the subscription failed on the network half an hour later: the failure is the latest
 * word. Read as if UTC, the events file's 07:30 would come after the failure at 07:00:31 UTC and make it
 * history; a time written without a zone cannot be ordered against another file's that closely.
 */
const APP_LOG = [
  'Date,Category,Module,Message',
  '02-Dec-2016 08:00:00:010 (+0100),INFO,Secure Mail.Application,Application did become active',
  '02-Dec-2016 08:00:31:200 (+0100),ERROR,Secure Mail.APNS,"Subscription to push notifications failed: Error Domain=NSURLErrorDomain Code=-1001 ""The request timed out."""',
].join('\r\n');

let n = 0;
/** A file under the name Secure Mail gives it (the readers go by the name), in a folder of its own. */
function file(name: string, content: string): string {
  const dir = join(scratchDir('pushcheck-smzone-'), String(++n));
  mkdirSync(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const excelEvents = (rows: string[]) =>
  ['Time,Operation,Status,Tenant ID,Listener Token,Tenant ID + Listener Token', ...rows.map((r) => `${r},****,xxxxxxxxxxxxxxxx,****xxxxxxxxxxxxxxxx`)].join(
    '\r\n',
  );

describe('an Excel-re-saved APNs events file (times without a zone) beside the app log', () => {
  it('a subscription the events file shows at 07:30 wall clock does not make the app log’s 08:00:31 (+0100) failure history', async () => {
    const log = file('CtxLog_SecureMail.csv', APP_LOG);
    const events = file(
      'CtxLog_APNS_Events.csv',
      excelEvents([
        '12/2/2016 7:29,Register device with listener service,Success',
        '12/2/2016 7:30,Subscribe to EWS push notifications,Success',
        '12/2/2016 7:30,Update listener service with EWS subscription,Success',
      ]),
    );
    const r = await diagnose(log, events);
    expect(cause(r, 'securemail.subscription_network')?.status).toBe('confirmed');
  });

  it('the events file’s times are marked zone unknown, not stated as UTC', async () => {
    const events = file('CtxLog_APNS_Events.csv', excelEvents(['2016-12-02 07:30:05,Subscribe to EWS push notifications,Success']));
    const r = await diagnose(events);
    const succeeded = facts(r, 'securemail.apns.succeeded_operation');
    expect(succeeded.length).toBe(1);
    expect(JSON.stringify(succeeded[0])).toMatch(/zone unknown|"zone":"unknown"/);
  });

  it('times the events file wrote with their zone still order against the app log: a later success makes the failure history', async () => {
    const log = file('CtxLog_SecureMail.csv', APP_LOG);
    const events = file(
      'CtxLog_APNS_Events.csv',
      excelEvents([
        '02-Dec-2016 08:30:00:000 (+0100),Subscribe to EWS push notifications,Success',
        '02-Dec-2016 08:30:01:000 (+0100),Update listener service with EWS subscription,Success',
      ]),
    );
    const r = await diagnose(log, events);
    expect(cause(r, 'securemail.subscription_network')?.status).not.toMatch(/confirmed|likely/);
  });

  it('the text report gives such a time as "zone unknown", never as UTC', async () => {
    const events = file('CtxLog_APNS_Events.csv', excelEvents(['2016-12-02 07:30:05,Register device with listener service,Failed: HTTP 500']));
    const r = await cli('diagnose', events, '--detail', 'full');
    expect(r.out).toMatch(/2016-12-02 07:30:05 \(zone unknown\)/);
    expect(r.out).not.toMatch(/07:30:05 UTC/);
  });

  it('the background fetch schedule, re-saved the same way, marks its wake-ups and the latest push zone unknown', async () => {
    const schedule = file(
      'CTXLog_backgroundFetchSchedule.csv',
      ['Type,Start,End,Seconds,Result', 'Remote Notification,12/2/2016 7:30,12/2/2016 7:30,2,NewData'].join('\r\n'),
    );
    const r = await diagnose(schedule);
    const last = facts(r, 'securemail.fetch.last_remote_notification');
    expect(last.length).toBe(1);
    expect(last[0].attrs?.zone).toBe('unknown');
  });
});
