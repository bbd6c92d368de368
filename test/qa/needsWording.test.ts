import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, fixture } from '../cli/helpers.js';

/**
 * Troubleshooting step: "what is still needed to settle an open cause?"
 * The "needs:" line is read by a support engineer: each item is a sentence,
 * with the fact's id only in its [brackets], never an internal name inside
 * the sentence ("SHA-256 of server.push_token").
 */
const INTERNAL = /\b(?:server|device|app|provisioning|cert|mdm|apns|notnow|securemail|case|pasted)\.[a-z_0-9]+/;
// What MDM servers and app builds hand over: the project's check-ins, results, logs and profiles.
const files = [
  ...readdirSync(fixture('mdm/server'))
    .filter((f) => f !== 'README.md')
    .map((f) => `mdm/server/${f}`),
  ...['dev_no_aps', 'enterprise_aps_production', 'enterprise_no_aps'].map((f) => `apns/${f}.mobileprovision`),
  'notnow/nanomdm_2021_round_trip.log',
  'text/log_show_default_mdmclient_with_server_lines.log',
].sort();

describe('"needs:" lines speak words, not fact ids', () => {
  it.each(files)('%s', async (file) => {
    const { out } = await cli('diagnose', fixture(file));
    const needs = out.split('\n').filter((l) => l.trim().startsWith('needs:'));
    for (const line of needs) {
      for (const item of line.trim().slice('needs:'.length).split(';')) {
        expect(item.replace(/\[[^\]]*\]/g, ''), `${file}: ${item}`).not.toMatch(INTERNAL);
      }
    }
  });

  it('the server token an Authenticate check-in lacks is named in words (not its derived hash)', async () => {
    const { out } = await cli('diagnose', fixture('mdm/server/Authenticate_iPad.plist'));
    expect(out).toMatch(/needs: [^\n]*Device push token the MDM server uses, 64 hex digits \[server\.push_token\]/);
    expect(out).not.toMatch(/needs: [^\n]*\[server\.push_token_sha256\]/);
  });
});
