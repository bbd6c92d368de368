// The CLI on files written by others: the same troubleshooting steps as
// test/qa/*, read off the real-world inputs as they are.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { factDefinition } from '../../src/facts/catalog/index.js';
import { createLogger } from '../../src/log.js';
import { boltLogger } from '../../src/slack/app.js';
import { cli, needsItems } from '../cli/helpers.js';
import { realworld, realworldFiles } from './files.js';

type Note = { id: string; text: string; evidence: { fact: string; value: unknown }[] };
const notes = (out: string): Note[] => JSON.parse(out).notes;
const NOTE = 'mdm.note.device_answers_commands';

describe('the full Markdown report says in words what an open cause still needs', () => {
  it('an Authenticate check-in alone: the network cause needs the reachability of the MDM server, in words', async () => {
    const { out } = await cli('diagnose', realworld('nanomdm_checkin_Authenticate_iOS9_iPad.plist'), '--format', 'markdown', '--detail', 'full');
    const network = out.slice(out.indexOf('The device cannot reach APNs or the MDM server'));
    const needs = network.slice(network.indexOf('**Needs:**'), network.indexOf('**Rules:**'));
    expect(needs).toContain('- Whether the device can reach the MDM server URL\n');
    expect(out).not.toMatch(/device\.mdm_server_reachable|device\.network_ok/);
  });

  it('no cause block has two blank lines in a row', async () => {
    for (const detail of ['summary', 'full']) {
      const { out } = await cli('diagnose', realworld('nanomdm_checkin_Authenticate_iOS9_iPad.plist'), '--format', 'markdown', '--detail', detail);
      expect(out).not.toMatch(/\n\n\n/);
    }
  });
});

describe('"Needs:" items and the rest of the report speak words, not fact ids', () => {
  it.each(realworldFiles())('%s', async (file) => {
    const { out } = await cli('diagnose', realworld(file), '--detail', 'full');
    for (const item of needsItems(out))
      expect(item, `${file}: ${item}`).not.toMatch(/\b(?:server|device|app|provisioning|cert|mdm|apns|notnow|securemail|case|pasted)\.[a-z_0-9]+/);
    for (const line of out.split('\n').filter((l) => !l.includes('--answer'))) {
      const ids = (line.match(/\b[a-z]+(?:\.[a-z0-9_]+)+/g) ?? []).filter((w) => factDefinition(w) || w.startsWith('q.'));
      expect(ids, `${file}: ${line}`).toEqual([]);
    }
  });

  it('the server token an Authenticate check-in lacks is named in words (not its derived hash)', async () => {
    const { out } = await cli('diagnose', realworld('nanomdm_checkin_Authenticate_iOS9_iPad.plist'), '--detail', 'full');
    expect(needsItems(out)).toContain('Device push token the MDM server uses, 64 hex digits');
    expect(needsItems(out).some((n) => /SHA-256 of the push token the MDM server holds/.test(n))).toBe(false);
  });
});

describe('a device that answers MDM commands: the push path works', () => {
  it('an Acknowledged DeviceInformation result says the device reached the server, with no Feedback draft', async () => {
    const { code, out } = await cli('diagnose', realworld('nanomdm_cmdresult_DeviceInformation_Acknowledged.plist'), '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(out).escalation).toBeNull();
    const note = notes(out).find((n) => n.id === NOTE);
    expect(note?.text).toMatch(/push path worked/);
    // The evidence is the device's answers (per device, never another's), with the file they were read from.
    expect(note?.evidence).toEqual([
      expect.objectContaining({
        fact: 'mdm.command_answers',
        value: expect.stringContaining('Acknowledged'),
        source: expect.stringContaining('nanomdm_cmdresult_DeviceInformation_Acknowledged.plist'),
      }),
    ]);
  });

  it('a command that ended in Error (NSOSStatus -909) is a failure on the device, not a push problem', async () => {
    const { code, out } = await cli('diagnose', realworld('nanocmd_cmdresponse_Error_NSOSStatus-909.plist'));
    expect(code).toBe(0);
    expect(out).toMatch(/Note: The device answered MDM commands/);
    expect(out).toMatch(/not a push problem/);
  });

  it("the NanoMDM quickstart log's push followed by Idle and Acknowledged reads as a working round trip", async () => {
    const { out } = await cli('diagnose', realworld('nanomdm_server_log_quickstart_success.log'), '--format', 'json');
    expect(notes(out).map((n) => n.id)).toContain(NOTE);
  });
});

describe('secrets never reach the logs, even at LOG_LEVEL=debug', () => {
  it("a Slack payload carrying a real TokenUpdate's token, base64 and spaced hex, is scrubbed", () => {
    const tokenUpdate = readFileSync(realworld('nanomdm_checkin_TokenUpdate_with_UnlockToken.plist'), 'utf8');
    const base64Token = /<key>Token<\/key>\s*<data>\s*([^<]+?)\s*<\/data>/.exec(tokenUpdate)![1]!;
    const spacedToken = Buffer.from(base64Token, 'base64').toString('hex').match(/.{8}/g)!.join(' ');
    let logged = '';
    const stream = new Writable({
      write(chunk, _enc, cb) {
        logged += chunk.toString();
        cb();
      },
    });
    boltLogger(createLogger({ level: 'debug', destination: stream })).debug(
      `socket-mode Received a message: ${JSON.stringify({ event: { text: `token ${base64Token}\nhex ${spacedToken}` } })}`,
    );
    expect(logged).toContain('Received a message');
    expect(logged).not.toContain(base64Token);
    expect(logged).not.toContain(spacedToken);
  });
});
