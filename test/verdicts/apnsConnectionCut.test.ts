import { describe, expect, it } from 'vitest';
import { diagnose, facts, file, note } from './evidence.js';

/**
 * Troubleshooting step: "does APNs accept the server's connection?" A Go server (MicroMDM, NanoMDM's nanopush)
 * whose push certificate and private key do not belong together sees APNs close the connection right after
 * the handshake, and prints Go's `Post "https://api.push.apple.com/3/device/<token>": unexpected EOF`
 * (shared/knowledge/apns-mdm.md, micromdm #794). MicroMDM's send_push_notification tool prints it as
 * `{"error": "…"}`. The report says what that means and what to check; it is no APNs answer about the push.
 */

const TOKEN = '4f0c2a7e9b1d3c5e6f8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e';
const UDID = '061BF70B-C320-5561-B45C-84AC072788CB';
const goError = `Post "https://api.push.apple.com/3/device/${TOKEN}": unexpected EOF`;
/** What MicroMDM's tools/api/send_push_notification prints: the push API's JSON answer, pretty-printed. */
const toolOutput = `${JSON.stringify({ error: goError }, null, 2)}\n`;

describe('APNs cut the connection right after the handshake (unexpected EOF)', () => {
  it("MicroMDM's send_push_notification output: the certificate/key pair is named as the thing to check", async () => {
    const r = await diagnose(file('send_push_notification.txt', toolOutput));
    expect(facts(r, 'mdm.apns_tls_error').map((f) => f.value)).toEqual(['unexpected_eof']);
    expect(r.domains).toEqual(['mdm']);
    expect(note(r, 'case.note.apns_connection_cut')?.text).toMatch(/private key/);
    expect(r.headline).toMatch(/unexpected EOF/);
    // Not an answer about the push: nothing goes to Apple as a failed push APNs answered.
    expect(facts(r, 'mdm.apns_response')).toEqual([]);
  });

  it("MicroMDM's own log line of the same push says the same", async () => {
    const r = await diagnose(file('micromdm.log', `level=info component=apns method=Push udid=${UDID} err=${JSON.stringify(goError)} took=526.809375ms\n`));
    expect(facts(r, 'mdm.apns_tls_error').map((f) => f.value)).toEqual(['unexpected_eof']);
    expect(note(r, 'case.note.apns_connection_cut')).toBeDefined();
    expect(r.headline).toMatch(/unexpected EOF/);
  });

  it('a push APNs answered over a connection it accepted gets no such note', async () => {
    const r = await diagnose(
      file(
        'micromdm.log',
        `level=info ts=2026-11-20T09:00:00Z caller=push.go:80 component=apns method=Push udid=${UDID} id=5E8C3B2A-1D4F-4E6A-9B7C-0D1E2F3A4B5C err=null took=183.2ms\n`,
      ),
    );
    expect(note(r, 'case.note.apns_connection_cut')).toBeUndefined();
    expect(r.headline).not.toMatch(/unexpected EOF/);
  });
});
