import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cause, diagnose, file, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "is the provider pushing on the app's bundle id?", asked of a provider log that pushes
 * two devices' tokens, each on its own apns-topic (two apps, or two builds of one, share the server). Until the
 * case names its token, one token's topic (or its accepted push) says nothing of the case's. Every value is made up.
 */

const token = (i: number) => createHash('sha256').update(`device ${i}`).digest('hex');
/** Pushed on the app's bundle id. */
const RIGHT = token(1);
/** Pushed on another app's. */
const OTHER = token(2);
const BUNDLE = ['--answer', 'q.apns.bundle_id=com.example.demo'];

function providerLog(otherTopic: string): string {
  const lines: string[] = [];
  let s = 0;
  const at = () => new Date(Date.UTC(2026, 10, 20, 10, 0, 0) + 1000 * s++).toISOString();
  for (let i = 0; i < 3; i++) {
    lines.push(`${at()} INFO  apns: POST /3/device/${RIGHT} apns-topic: com.example.demo status=200`);
    lines.push(`${at()} INFO  apns: POST /3/device/${OTHER} apns-topic: ${otherTopic} status=200`);
  }
  return file(`topics-${otherTopic}.log`, `${lines.join('\n')}\n`);
}

describe('two tokens pushed on two topics, no device named', () => {
  const log = providerLog('com.other.app');

  it('neither rules the wrong topic out nor confirms it, and asks which device', async () => {
    const r = await diagnose(log, ...BUNDLE);
    expect(cause(r, 'apns.wrong_topic')?.status).toBe('open');
    expect(questionIds(r)[0]).toBe('q.case.device');
  });

  it("named as the other topic's token: the topic is the fault", async () => {
    const r = await diagnose(log, ...BUNDLE, '--answer', `q.case.device=${OTHER}`);
    expect(cause(r, 'apns.wrong_topic')?.status).toBe('confirmed');
  });

  it("named as the bundle id's token: the topic is ruled out", async () => {
    const r = await diagnose(log, ...BUNDLE, '--answer', `q.case.device=${RIGHT}`);
    expect(cause(r, 'apns.wrong_topic')?.status).toBe('ruled_out');
  });
});

describe('two tokens pushed on one topic, no device named', () => {
  it('the shared topic is the bundle id: the wrong topic is ruled out, as before', async () => {
    const r = await diagnose(providerLog('com.example.demo'), ...BUNDLE);
    expect(cause(r, 'apns.wrong_topic')?.status).toBe('ruled_out');
  });
});
