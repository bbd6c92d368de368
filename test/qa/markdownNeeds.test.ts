import { describe, expect, it } from 'vitest';
import { cli, fixture } from '../cli/helpers.js';

/**
 * Troubleshooting step: "what is still needed?", read in the full Markdown
 * report (attached in Slack by "Show all evidence", pasted into a ticket).
 * It says what is needed in words, as the terminal report does, with no
 * fact ids at all.
 */
describe('the full Markdown report says in words what an open cause still needs', () => {
  it('an Authenticate check-in alone: the network cause needs the reachability of the MDM server, in words', async () => {
    const { out } = await cli('diagnose', fixture('mdm/server/Authenticate_iPad.plist'), '--format', 'markdown', '--detail', 'full');
    const network = out.slice(out.indexOf('The device cannot reach APNs or the MDM server'));
    const needs = network.slice(network.indexOf('**Needs:**'), network.indexOf('**Rules:**'));
    expect(needs).toContain('- Whether the device can reach the MDM server URL\n');
    expect(needs).toContain('- Whether the device reaches the internet and Apple');
    expect(out).not.toMatch(/device\.mdm_server_reachable|device\.network_ok/);
  });

  it('no cause block has two blank lines in a row', async () => {
    for (const detail of ['summary', 'full']) {
      const { out } = await cli('diagnose', fixture('mdm/server/Authenticate_iPad.plist'), '--format', 'markdown', '--detail', detail);
      expect(out).not.toMatch(/\n\n\n/);
    }
  });
});
