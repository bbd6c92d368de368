import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { parsePlist } from '../../src/evidence/plist/index.js';
import type { ReadResult } from '../../src/evidence/types.js';
import { mdmProblems, only, values } from './helpers.js';

/**
 * What reading a record an MDM server keeps must give, whoever wrote the
 * file: the main suite runs these on inputs written by us
 * (serverRecords.test.ts), the real-world suite on files written by others
 * (test/realworld/mdmReaders.test.ts), each with its file's values.
 */

export interface DeviceWant {
  udid: string;
  platform: string;
  model: string;
  osBuild: string;
  osVersion?: string;
  serial?: string;
}

/** An Authenticate check-in: the device, and the topic it enrolled with (not the push topic, issue 8 item 4). */
export function checkAuthenticate(r: ReadResult, topic: string, want: DeviceWant, topicAt?: { input: string; line: number }): void {
  expect(mdmProblems(r)).toEqual([]);
  const auth = only(r, 'mdm.checkin.authenticate');
  expect(auth.value).toBe(true);
  expect(auth.at).toBeUndefined(); // a stored message carries no time of its own
  expect(auth.attrs).toMatchObject({ channel: 'device', udid: want.udid, topic, platform: want.platform });
  expect(only(r, 'server.enrolled_topic').value).toBe(topic);
  expect(only(r, 'device.platform').value).toBe(want.platform);
  expect(values(r, 'server.topic')).toEqual([]);
  expect(only(r, 'device.model').value).toBe(want.model);
  expect(only(r, 'device.os_build').value).toBe(want.osBuild);
  if (want.osVersion) expect(only(r, 'device.os_version').value).toBe(want.osVersion);
  if (want.serial) expect(only(r, 'device.serial').value).toBe(want.serial);
  // Provenance: the line of <key>Topic</key> in the file.
  if (topicAt) expect(only(r, 'server.enrolled_topic').source).toEqual({ kind: 'file', ...topicAt });
}

/** A TokenUpdate: the server-side PushMagic and token (64 hex digits), and no device-side identity invented from it. */
export function checkTokenUpdate(
  r: ReadResult,
  want: { udid?: string; topic?: string; magic: string; token: string; tokenLine?: number; unlockToken: boolean },
): void {
  expect(mdmProblems(r)).toEqual([]);
  if (want.udid) expect(only(r, 'mdm.checkin.token_update').attrs).toMatchObject({ channel: 'device', udid: want.udid });
  if (want.topic) expect(only(r, 'server.enrolled_topic').value).toBe(want.topic);
  expect(only(r, 'server.push_magic').value).toBe(want.magic);
  const token = only(r, 'server.push_token');
  expect(token.value).toBe(want.token);
  if (want.tokenLine) expect(token.source).toMatchObject({ line: want.tokenLine });
  expect(only(r, 'server.unlock_token_present').value).toBe(want.unlockToken);
  expect(values(r, 'device.push_magic')).toEqual([]);
  expect(values(r, 'device.push_token_hash')).toEqual([]);
}

/** The SHA-256 of the token a TokenUpdate holds: what a device with that token keeps as LastPushTokenHash. */
export function tokenHash(r: ReadResult): string {
  return createHash('sha256')
    .update(Buffer.from(String(only(r, 'server.push_token').value), 'hex'))
    .digest('hex');
}

/** A command result Acknowledged: the device reached the server and processes commands. */
export function checkAcknowledged(r: ReadResult, attrs: { command_uuid: string; request_type: string; udid: string }): void {
  expect(mdmProblems(r)).toEqual([]);
  const s = only(r, 'mdm.command.status');
  expect(s.value).toBe('Acknowledged');
  expect(s.attrs).toEqual({ ...attrs, channel: 'device' });
  expect(values(r, 'mdm.command.error')).toEqual([]);
}

/** MicroMDM's webhook: raw_payload decoded, created_at the time of the TokenUpdate and of its token. */
export function checkWebhook(r: ReadResult, input: string, want: { at: string; udid: string; topic: string; magic: string; token: string }): void {
  expect(mdmProblems(r)).toEqual([]);
  const tu = only(r, 'mdm.checkin.token_update');
  expect(tu.at).toBe(want.at);
  expect(tu.attrs).toMatchObject({ udid: want.udid });
  expect(tu.source).toEqual({ kind: 'file', input, line: 8 });
  expect(only(r, 'server.enrolled_topic').value).toBe(want.topic);
  expect(only(r, 'server.push_magic').value).toBe(want.magic);
  expect(only(r, 'server.push_token').value).toBe(want.token);
  expect(only(r, 'server.push_token').at).toBe(want.at);
}

/** Command-response fragments (not whole plists): the Error status and each error chain, lines pointing into the file. */
export function checkFragments(r: ReadResult, want: { errors: [string, string][]; first: string; lines: number[] }): void {
  expect(mdmProblems(r)).toEqual([]);
  expect(values(r, 'mdm.command.status')).toEqual(['Error']);
  const errors = r.facts.filter((f) => f.name === 'mdm.command.error');
  expect(errors.map((e) => [e.attrs?.domain, e.attrs?.code])).toEqual(want.errors);
  expect(errors[0].value).toBe(want.first);
  expect(errors.map((e) => (e.source.kind === 'file' ? e.source.line : 0))).toEqual(want.lines);
}

/** An enrollment template: its topic kept as it is, it and the URLs flagged as placeholders, nothing read as device state. */
export function checkTemplate(r: ReadResult, want: { topic: string; serverUrl: string; placeholders: string[]; topicLine: number }): void {
  expect(mdmProblems(r)).toEqual([]);
  expect(only(r, 'profile.topic').value).toBe(want.topic);
  expect(only(r, 'profile.server_url').value).toBe(want.serverUrl);
  expect(only(r, 'profile.signed').value).toBe(false);
  const ph = r.facts.filter((f) => f.name === 'profile.placeholder');
  expect(ph.map((f) => f.attrs?.key).sort()).toEqual(want.placeholders);
  expect(ph.find((f) => f.attrs?.key === 'Topic')?.value).toBe(want.topic);
  expect(ph.find((f) => f.attrs?.key === 'Topic')?.source).toMatchObject({ line: want.topicLine });
  expect(values(r, 'device.topic')).toEqual([]);
}

/** A provisioning profile: CMS-signed XML that parses, left by the MDM readers to the app-push readers. */
export function checkProvisioningProfile(name: string, bytes: Buffer, r: ReadResult): void {
  const parsed = parsePlist(bytes);
  expect(parsed.ok, name).toBe(true);
  if (!parsed.ok) return;
  expect(parsed.signed).toBe(true);
  expect(parsed.format).toBe('xml');
  const ents = (parsed.value as Record<string, Record<string, unknown>>).Entitlements;
  expect(ents['aps-environment'], name).toBe(name.includes('aps_production') ? 'production' : undefined);
  expect(mdmProblems(r).filter((p) => p.code.startsWith('plist.') || p.code.startsWith('mdm.'))).toEqual([]);
  expect(r.facts.filter((f) => /^(device|server|profile|mdm)\./.test(f.name) && !f.name.startsWith('device.log'))).toEqual([]);
}
