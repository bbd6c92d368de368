import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, heldRules } from './evidence.js';

/**
 * Troubleshooting step (TN2265, "Some Notifications Received, but Not All"): were several notifications sent
 * to this device within a short time? APNs stores one notification per app per device while the device is
 * away, so only pushes to the same device token replace each other. A provider's log holds the pushes to
 * every copy of the app: pushes to four tokens seconds apart are four devices' notifications, one each.
 */

const A = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const B = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';
const C = '2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f1b3d5c6e8a0b';
const D = '3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f1b';

let id = 0;
const accepted = (t: string, token: string) =>
  `${t} INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b${String(++id).padStart(2, '0')} token=${token} apns-topic=com.example.demo status=200`;
const provider = (pushes: [time: string, token: string][]) => file('provider.log', `${pushes.map(([t, k]) => accepted(t, k)).join('\n')}\n`);

/** One push to each of four devices, two seconds apart. */
const fourDevices = () =>
  provider([
    ['2026-11-20T10:01:00.004Z', A],
    ['2026-11-20T10:01:02.104Z', B],
    ['2026-11-20T10:01:04.204Z', C],
    ['2026-11-20T10:01:06.304Z', D],
  ]);

/** Four devices, and two pushes to A's token two seconds apart. */
const burstToA = () =>
  provider([
    ['2026-11-20T10:01:00.004Z', A],
    ['2026-11-20T10:01:01.104Z', B],
    ['2026-11-20T10:01:02.204Z', A],
    ['2026-11-20T10:01:03.304Z', C],
    ['2026-11-20T10:01:05.404Z', D],
  ]);

describe('pushes close together, and whether they went to the same device', () => {
  it('one push to each of four devices seconds apart: nothing was coalesced, and no gap is measured across devices', async () => {
    const r = await diagnose(fourDevices());
    expect(cause(r, 'apns.coalesced')?.status).not.toBe('likely');
    expect(facts(r, 'apns.min_push_gap_seconds')).toEqual([]);
  });

  it('the same four pushes with the case named as one of them: still one push to it, nothing coalesced', async () => {
    const r = await diagnose(fourDevices(), '--answer', `q.case.device=${B}`);
    expect(heldRules(cause(r, 'apns.coalesced'))).not.toContain('apns.coalesced.close_pushes');
    expect(cause(r, 'apns.coalesced')?.status).not.toBe('likely');
  });

  it('several pushes to one token two seconds apart: only the last may arrive, coalescing is likely', async () => {
    const r = await diagnose(
      provider([
        ['2026-11-20T10:01:00.004Z', A],
        ['2026-11-20T10:01:02.104Z', A],
        ['2026-11-20T10:01:04.204Z', A],
      ]),
    );
    expect(cause(r, 'apns.coalesced')?.status).toBe('likely');
    expect(facts(r, 'apns.min_push_gap_seconds').map((f) => f.value)).toEqual([2.1]);
  });

  it('the case is the device whose token got two pushes two seconds apart: coalescing is likely', async () => {
    const r = await diagnose(burstToA(), '--answer', `q.case.device=${A}`);
    expect(cause(r, 'apns.coalesced')?.status).toBe('likely');
    expect(facts(r, 'apns.min_push_gap_seconds').map((f) => f.value)).toEqual([2.2]);
  });

  it('the case is another device of that log, pushed once: the burst to A is not its', async () => {
    const r = await diagnose(burstToA(), '--answer', `q.case.device=${C}`);
    expect(cause(r, 'apns.coalesced')?.status).not.toBe('likely');
  });

  it("the server's token names the device of the burst: coalescing is likely", async () => {
    const r = await diagnose(burstToA(), '--token', A);
    expect(cause(r, 'apns.coalesced')?.status).toBe('likely');
  });

  it('no word on which device: a burst to one of four devices is not called the case', async () => {
    const r = await diagnose(burstToA());
    expect(cause(r, 'apns.coalesced')?.status).not.toBe('likely');
  });

  it('no word on which device, but every device got pushes seconds apart: coalescing is likely whichever it is', async () => {
    const r = await diagnose(
      provider([
        ['2026-11-20T10:01:00.004Z', A],
        ['2026-11-20T10:01:01.104Z', B],
        ['2026-11-20T10:01:03.204Z', A],
        ['2026-11-20T10:01:05.304Z', B],
      ]),
    );
    expect(cause(r, 'apns.coalesced')?.status).toBe('likely');
    expect(facts(r, 'apns.min_push_gap_seconds').map((f) => f.value)).toEqual([4.2]);
  });
});

describe('one push logged twice', () => {
  it('the same apns-id logged when sent and when answered is one notification: nothing to coalesce', async () => {
    const line = (t: string, verb: string) =>
      `${t} INFO  apns: ${verb} apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b31 token=${A} apns-topic=com.example.demo status=200`;
    const r = await diagnose(file('provider.log', `${line('2026-11-20T10:01:00.004Z', 'sent')}\n${line('2026-11-20T10:01:00.204Z', 'delivered')}\n`));
    expect(facts(r, 'apns.min_push_gap_seconds')).toEqual([]);
    expect(cause(r, 'apns.coalesced')?.status).not.toBe('likely');
  });
});

describe('tokens the log masked in the middle', () => {
  const masked = (token: string) => `${token.slice(0, 8)}…${token.slice(-6)}`;

  it('two masked tokens with different ends two seconds apart are two devices: nothing coalesced', async () => {
    const r = await diagnose(
      provider([
        ['2026-11-20T10:01:00.004Z', masked(A)],
        ['2026-11-20T10:01:02.104Z', masked(B)],
      ]),
    );
    expect(cause(r, 'apns.coalesced')?.status).not.toBe('likely');
  });

  it('the same masked token twice two seconds apart is one device: coalescing is likely', async () => {
    const r = await diagnose(
      provider([
        ['2026-11-20T10:01:00.004Z', masked(A)],
        ['2026-11-20T10:01:02.104Z', masked(A)],
      ]),
    );
    expect(cause(r, 'apns.coalesced')?.status).toBe('likely');
  });
});
