import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, heldRules, TOKEN } from './evidence.js';

/**
 * Troubleshooting step: "some notifications arrive, but not all: did the provider send them under one
 * apns-collapse-id?" Notifications that share a collapse id are shown as one on the device, the latest replacing
 * the earlier, however far apart they went out. The provider's log names the id in its library's own words
 * (node-apn's and Pushy's collapseId, apns2's CollapseID, the header as PHP clients and curl -v print it, .NET's
 * CollapseId); it is kept with APNs's answer to that push. Every value below is made up.
 */

const OTHER = '0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f5f1c0a9d2b7e4c3f8a6d1e';
const collapseOf = (r: Awaited<ReturnType<typeof diagnose>>) => facts(r, 'apns.response').map((f) => f.attrs.collapse_id ?? null);

describe('the apns-collapse-id each library logs is kept with the answer', () => {
  it("node-apn's collapseId, Pushy's notification line before its answer, apns2's CollapseID, a PHP client's header", async () => {
    const r = await diagnose(
      file(
        'push-worker.log',
        [
          `2026-11-30T09:14:01Z info: apn sent { device: '${TOKEN}', collapseId: 'order-42', status: '200' }`,
          `2026-11-30 09:15:00.123 DEBUG c.e.push.ApnsSender - sending SimpleApnsPushNotification{token='${TOKEN}', payload='{"aps":{"alert":"x"}}', invalidationTime=null, priority=IMMEDIATE, pushType=ALERT, topic='com.example.demo', collapseId='order-43', apnsId=null}`,
          `2026-11-30 09:15:00.200 INFO c.e.push.ApnsSender - accepted token=${TOKEN} status=200`,
          `2026/11/30 09:16:00 push: &{ApnsID: CollapseID:order-44 DeviceToken:${TOKEN} Topic:com.example.demo} -> {StatusCode:200 Reason: ApnsID:}`,
          `[2026-11-30 09:17:00] app.INFO: APNs request {"apns-collapse-id":"order-45","token":"${TOKEN}"} response 200`,
          '',
        ].join('\n'),
      ),
    );
    expect(collapseOf(r)).toEqual(['order-42', 'order-43', 'order-44', 'order-45']);
  });

  it('curl -v: the request header a few lines before the status', async () => {
    const r = await diagnose(
      file(
        'curl.txt',
        `> POST /3/device/${TOKEN} HTTP/2\n> Host: api.push.apple.com\n> apns-topic: com.example.demo\n> apns-collapse-id: order-47\n>\n< HTTP/2 200\n< apns-id: 5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c\n`,
      ),
    );
    expect(collapseOf(r)).toEqual(['order-47']);
  });

  it('never the reason BadCollapseId, nor a field left empty', async () => {
    const r = await diagnose(
      file(
        'push-worker.log',
        [
          `2026-11-30T09:19:00Z error: apn failed { device: '${TOKEN}', status: '400', response: { reason: 'BadCollapseId' } }`,
          `2026-11-30T09:19:01Z info: apn sent { device: '${TOKEN}', collapseId: undefined, status: '200' }`,
          '',
        ].join('\n'),
      ),
    );
    expect(collapseOf(r)).toEqual([null, null]);
  });
});

/** Three accepted pushes to the case's device a quarter of an hour apart, and another device's pushes between them. */
const spreadOut = (ids: [string, string, string]) =>
  file(
    'push-worker.log',
    [
      `2026-11-30T09:00:00Z info: apn sent { device: '${TOKEN}', collapseId: '${ids[0]}', status: '200' }`,
      `2026-11-30T09:00:01Z info: apn sent { device: '${OTHER}', collapseId: 'promo', status: '200' }`,
      `2026-11-30T09:15:00Z info: apn sent { device: '${TOKEN}', collapseId: '${ids[1]}', status: '200' }`,
      `2026-11-30T09:15:01Z info: apn sent { device: '${OTHER}', collapseId: 'promo', status: '200' }`,
      `2026-11-30T09:30:00Z info: apn sent { device: '${TOKEN}', collapseId: '${ids[2]}', status: '200' }`,
      '',
    ].join('\n'),
  );
const someArrive = ['--answer', `q.case.device=${TOKEN}`, '--answer', 'q.apns.some_delivered=yes', '--answer', 'q.apns.burst=no'];

describe('several accepted pushes to one device under one collapse id', () => {
  it('make coalescing likely although they were a quarter of an hour apart, and rule out nothing else', async () => {
    const r = await diagnose(spreadOut(['chat-7', 'chat-7', 'chat-7']), ...someArrive);
    const coalesced = cause(r, 'apns.coalesced');
    expect(coalesced?.status).toBe('likely');
    expect(heldRules(coalesced)).toEqual(['apns.coalesced.same_collapse_id']);
    expect(facts(r, 'apns.collapse_id_repeated').map((f) => [f.value, f.attrs.token])).toEqual([['3 accepted pushes with apns-collapse-id chat-7', TOKEN]]);
    expect(r.escalation).toBeNull();
  });

  it('a collapse id of each push: the pushes were spread out, so coalescing is ruled out', async () => {
    const r = await diagnose(spreadOut(['chat-7', 'chat-8', 'chat-9']), ...someArrive);
    expect(facts(r, 'apns.collapse_id_repeated')).toEqual([]);
    expect(cause(r, 'apns.coalesced')?.status).toBe('ruled_out');
  });

  it("another device's shared collapse id says nothing of this one", async () => {
    const r = await diagnose(spreadOut(['chat-7', 'chat-8', 'chat-9']), ...someArrive);
    expect(heldRules(cause(r, 'apns.coalesced'))).not.toContain('apns.coalesced.same_collapse_id');
  });

  it('when nothing arrives at all, a shared collapse id explains nothing: coalescing is ruled out', async () => {
    const r = await diagnose(spreadOut(['chat-7', 'chat-7', 'chat-7']), '--answer', `q.case.device=${TOKEN}`, '--answer', 'q.apns.some_delivered=no');
    expect(cause(r, 'apns.coalesced')?.status).toBe('ruled_out');
  });
});
