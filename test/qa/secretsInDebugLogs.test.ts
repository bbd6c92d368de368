import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { boltLogger } from '../../src/slack/app.js';
import { fixture } from '../cli/helpers.js';

/**
 * Troubleshooting step: "turn on debug logging". Bolt's debug lines carry
 * whole Slack payloads, so whatever a user pasted (a TokenUpdate's base64
 * token, a hex token with spaces, a PushMagic of any shape) passes through.
 */
function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

const tokenUpdate = readFileSync(fixture('mdm/server/TokenUpdate_iPhone.plist'), 'utf8');
const base64Token = /<key>Token<\/key>\s*<data>\s*([^<]+?)\s*<\/data>/.exec(tokenUpdate)![1]!;
const hexToken = Buffer.from(base64Token, 'base64').toString('hex');
const spacedToken = hexToken.match(/.{8}/g)!.join(' ');
const magic = '5F3A91C2BB7E44D0';

describe('secrets never reach the logs, even at LOG_LEVEL=debug', () => {
  it('a Slack payload with a base64 token, a spaced hex token and a non-UUID PushMagic is scrubbed', () => {
    const out = capture();
    const bolt = boltLogger(createLogger({ level: 'debug', destination: out.stream }));
    bolt.debug(
      `socket-mode Received a message on the WebSocket: ${JSON.stringify({ event: { text: `token ${base64Token}\nhex ${spacedToken}\nmagic: ${magic}\n"PushMagic": "${magic}"` } })}`,
    );
    const logged = out.text();
    expect(logged).toContain('Received a message');
    expect(logged).not.toContain(base64Token);
    expect(logged).not.toContain(spacedToken);
    expect(logged).not.toContain(magic);
  });
});
