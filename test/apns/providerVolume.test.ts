import { describe, expect, it } from 'vitest';
import { deriveFacts } from '../../src/facts/derive/derive.js';
import type { Fact } from '../../src/facts/schema.js';
import { cpuMs } from '../support/cpu.js';

/**
 * Troubleshooting step: "did the push APNs accepted reach the device?" — each 200 in the provider's log is
 * looked up among the receipts in the device's apsd log ("Received message for enabled topic ...") within
 * the answer window. A provider's log holds a push per line, its topic on every line, and a device may log
 * a receipt for many of them: the look-up must cost the same per push however long the logs are (issue 11:
 * a 150,000-line provider log spent two minutes here when every push walked every topic and receipt).
 */

const TOPIC = 'com.example.chat';
const TOKEN = 'c0ffee00'.repeat(8);
const at = (ms: number) => new Date(Date.UTC(2026, 10, 20, 8, 0, 0) + ms).toISOString();

/** `pushes` pushes a second apart, all accepted; the device logs a receipt 300 ms after every tenth. */
function evidence(pushes: number): Fact[] {
  const out: Fact[] = [];
  for (let i = 0; i < pushes; i++) {
    const line = { kind: 'file', input: 'provider.log', line: i + 1 } as const;
    out.push({ name: 'apns.topic', value: TOPIC, at: at(i * 1000), source: line });
    out.push({
      name: 'apns.response',
      value: '200',
      at: at(i * 1000),
      source: line,
      attrs: { status: '200', token: TOKEN, apns_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
    });
    if (i % 10 === 0)
      out.push({
        name: 'device.log.push_received',
        value: TOPIC,
        at: at(i * 1000 + 300),
        source: { kind: 'file', input: 'apsd.log', line: i / 10 + 1 },
        attrs: { topic: TOPIC },
      });
  }
  return out;
}

const derive = (facts: Fact[]) => deriveFacts(facts, { pushAnswerWindowSeconds: 30 });

describe("a provider log's accepted pushes against the device's receipts", () => {
  it('a push with a receipt in the window reached the device, the first receipt after it answers it, and the others count as failed', () => {
    const got = derive(evidence(100));
    const reached = got.filter((f) => f.name === 'apns.push_reached_device');
    // A 30 s window: every push has one (the next receipt is 10 s away at most) but the nine after the last receipt.
    expect(reached).toHaveLength(91);
    expect(reached[0]!.attrs).toMatchObject({ pushed_at: at(0), topic: TOPIC });
    expect(reached[0]!.value).toBe(at(300));
    expect(reached[1]!.value).toBe(at(10_300));
    expect(got.filter((f) => f.name === 'case.failed_push')).toHaveLength(9);
  });

  it('a push whose window holds no receipt is a failed push', () => {
    const got = deriveFacts(evidence(100), { pushAnswerWindowSeconds: 5 });
    // Whole-second stamps: a push up to five seconds (and the second it names) before a receipt has it.
    expect(got.filter((f) => f.name === 'apns.push_reached_device')).toHaveLength(55);
    expect(got.filter((f) => f.name === 'case.failed_push')).toHaveLength(45);
  });

  it('costs the same per push however many pushes, topics and receipts the logs hold', () => {
    const timeOf = (pushes: number) => {
      const facts = evidence(pushes);
      const started = cpuMs();
      const got = derive(facts);
      const spent = cpuMs() - started;
      expect(got.filter((f) => f.name === 'apns.push_reached_device')).toHaveLength(pushes - 9);
      return spent;
    };
    timeOf(2000);
    const small = Math.max(timeOf(2000), 5);
    const large = timeOf(16_000);
    // Eight times the pushes: linear work is about eight times slower, quadratic sixty-four.
    expect(large).toBeLessThan(small * 24);
  });
});

describe('a provider log that masks the token on some lines and not on others', () => {
  it("names a masked token's device by the whole token its ends fit, at the same cost per answer however long the log", async () => {
    const { tokenKey } = await import('../../src/facts/maskedToken.js');
    const whole = (i: number) => `${String(i).padStart(8, '0')}${'ab'.repeat(24)}${String(i).padStart(8, '0')}`;
    const masked = (i: number) => `${String(i).padStart(8, '0')}…${String(i).padStart(8, '0')}`;
    const timeOf = (answers: number) => {
      // A hundred devices, each answered many times: every answer masks its token, and the list holds every answer's whole token.
      const known = Array.from({ length: answers }, (_, i) => whole(i % 100));
      const started = cpuMs();
      const keys = known.map((_, i) => tokenKey({ token_masked: masked(i % 100) }, known));
      const spent = cpuMs() - started;
      expect(keys[answers - 1]).toBe(whole((answers - 1) % 100).toUpperCase());
      expect(tokenKey({ token_masked: 'ffffffff…ffffffff' }, known)).toBe('MASKED ffffffff…ffffffff');
      return spent;
    };
    timeOf(2000);
    const small = Math.max(timeOf(2000), 5);
    const large = timeOf(16_000);
    expect(large).toBeLessThan(small * 24);
  });

  it('as many devices as answers (each token masked on one line, whole on another): each masked form looks at the tokens whose ends fit', async () => {
    const { tokenKey } = await import('../../src/facts/maskedToken.js');
    const whole = (i: number) => `${String(i).padStart(8, '0')}${'ab'.repeat(24)}${String(i).padStart(8, '0')}`;
    const masked = (i: number) => `${String(i).padStart(8, '0')}…${String(i).padStart(8, '0')}`;
    const timeOf = (devices: number) => {
      const known = Array.from({ length: devices }, (_, i) => whole(i));
      const started = cpuMs();
      const keys = known.map((_, i) => tokenKey({ token_masked: masked(i) }, known));
      const spent = cpuMs() - started;
      expect(keys[devices - 1]).toBe(whole(devices - 1).toUpperCase());
      // Same ends, another middle: still its own device unless a whole token fits it.
      expect(tokenKey({ token_masked: `${String(7).padStart(8, '0')}ff…ff${String(7).padStart(8, '0')}` }, known)).toMatch(/^MASKED /);
      return spent;
    };
    timeOf(2000);
    const small = Math.max(timeOf(2000), 5);
    // Eight times the devices: linear work is about eight times slower, distinct-masked times distinct-whole sixty-four.
    const large = timeOf(16_000);
    expect(large).toBeLessThan(small * 24);
  });
});
