import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, openSlackFile, slackTokenHosts } from '../../src/slack/download.js';

/** A file host that streams without end (a file bigger than its metadata says) and notes when the client hangs up. */
let server: Server;
let url = '';
let hungUp: Promise<void>;

beforeAll(async () => {
  let hangUp!: () => void;
  hungUp = new Promise((r) => (hangUp = r));
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const timer = setInterval(() => res.write(chunk), 5);
    res.on('close', () => {
      clearInterval(timer);
      hangUp();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/endless.tar.gz`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('a download that grows past the size cap', () => {
  it('ends cleanly after exactly the first maxBytes (so the readers keep what they read), says it was cut, and closes the connection to Slack', async () => {
    const maxBytes = 1024 * 1024;
    const { stream, cut } = await openSlackFile(
      { id: 'F1', name: 'endless.tar.gz', url_private_download: url },
      { botToken: 'xoxb-t', tokenHosts: () => true, maxBytes },
    );
    expect(cut()).toBeUndefined();
    let bytes = 0;
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(maxBytes);
    const error = cut();
    expect(error).toBeInstanceOf(DownloadError);
    expect(error!.code).toBe('too_large');
    expect(error!.message).toBe('endless.tar.gz was cut at the 1.0 MB limit (PUSHCHECK_MAX_FILE_MB): only its first 1.0 MB were read');
    const closed = await Promise.race([hungUp.then(() => true), new Promise((r) => setTimeout(() => r(false), 2000))]);
    expect(closed).toBe(true);
  });
});

describe('where the bot token may go', () => {
  it("only to Slack's hosts over https, or to SLACK_API_URL's own origin", () => {
    const may = slackTokenHosts('http://127.0.0.1:4000/api/');
    expect(may(new URL('https://files.slack.com/files-pri/T1-F1/x.tar.gz'))).toBe(true);
    expect(may(new URL('https://files-origin.slack.com/x'))).toBe(true);
    expect(may(new URL('http://127.0.0.1:4000/files/x'))).toBe(true);
    // A redirect to plain http would carry the token in clear text.
    expect(may(new URL('http://files.slack.com/x'))).toBe(false);
    expect(may(new URL('https://slack.com.evil.example/x'))).toBe(false);
    expect(may(new URL('http://127.0.0.1:4001/x'))).toBe(false);
  });
});
