import { describe, expect, it } from 'vitest';
import { factDefinition } from '../../src/facts/catalog/index.js';
import { cli, fixture, needsItems } from '../cli/helpers.js';
import { readdirSync } from 'node:fs';

/**
 * Troubleshooting step: "what is still needed to settle an open cause?"
 * The full report's "Needs:" items are read by a support engineer: each is
 * a sentence, never a fact id or an internal name ("SHA-256 of
 * server.push_token"); only the --answer hints carry question ids.
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

describe('"Needs:" items speak words, not fact ids', () => {
  it.each(files)('%s', async (file) => {
    const { out } = await cli('diagnose', fixture(file), '--detail', 'full');
    for (const item of needsItems(out)) expect(item, `${file}: ${item}`).not.toMatch(INTERNAL);
    // Nor anywhere else in the report (host names like mdm.example.org are fine), apart from the --answer hints.
    for (const line of out.split('\n').filter((l) => !l.includes('--answer'))) {
      const ids = (line.match(/\b[a-z]+(?:\.[a-z0-9_]+)+/g) ?? []).filter((w) => factDefinition(w) || w.startsWith('q.'));
      expect(ids, `${file}: ${line}`).toEqual([]);
    }
  });

  it('the server token an Authenticate check-in lacks is named in words (not its derived hash)', async () => {
    const { out } = await cli('diagnose', fixture('mdm/server/Authenticate_iPad.plist'), '--detail', 'full');
    expect(needsItems(out)).toContain('Device push token the MDM server uses, 64 hex digits');
    expect(needsItems(out).some((n) => /SHA-256 of the push token the MDM server holds/.test(n))).toBe(false);
  });
});
