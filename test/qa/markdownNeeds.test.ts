import { describe, expect, it } from 'vitest';
import { cli, fixture } from '../cli/helpers.js';

/**
 * Troubleshooting step: "what is still needed?", read in the Markdown report
 * (attached in Slack, pasted into a ticket). It must say what is needed in
 * words, as the terminal report does, not only list fact ids.
 */
describe('the Markdown report says in words what an open cause still needs', () => {
  it('an Authenticate check-in alone: the network cause needs the reachability of the MDM server, in words', async () => {
    const { out } = await cli('diagnose', fixture('mdm/server/Authenticate_iPad.plist'), '--format', 'markdown');
    const line = out.split('\n').find((l) => l.startsWith('Still needed:') && l.includes('device.mdm_server_reachable'));
    expect(line).toBe('Still needed: Whether the device can reach the MDM server URL (`device.mdm_server_reachable`); Whether the device reaches the internet and Apple (`device.network_ok`)');
  });

  it('no cause block has two blank lines in a row', async () => {
    const { out } = await cli('diagnose', fixture('mdm/server/Authenticate_iPad.plist'), '--format', 'markdown');
    expect(out).not.toMatch(/\n\n\n/);
  });
});
