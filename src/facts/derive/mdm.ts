import { createHash } from 'node:crypto';
import type { Fact } from '../schema.js';
import type { Deriver } from './types.js';

const SIDE_MAP: Record<string, { server: string; device: string }> = {
  'pasted.topic': { server: 'server.topic', device: 'device.topic' },
  'pasted.push_magic': { server: 'server.push_magic', device: 'device.push_magic' },
};

/**
 * Only one side can hold some values, so they need no question: a push
 * token is what the server pushes to (the device shows only its hash), and
 * a token hash is the device's LastPushTokenHash.
 */
const ONE_SIDED: Record<string, { to: string; how: string }> = {
  'pasted.push_token': { to: 'server.push_token', how: "a pasted push token is the one the server pushes to (devices show only its hash)" },
  'pasted.push_token_hash': { to: 'device.push_token_hash', how: "a pasted token hash is the device's LastPushTokenHash" },
};

/** Once someone says whose the unlabelled pasted values are, they count as that side's. */
export const pastedSide: Deriver = (index) => {
  const out: Fact[] = [];
  for (const [from, { to, how }] of Object.entries(ONE_SIDED))
    for (const f of index.get(from) ?? []) out.push({ ...f, name: to, source: { kind: 'derived', how, from: [from] } });
  const side = index.get('case.pasted_side')?.at(-1)?.value;
  if (side !== 'server' && side !== 'device') return out;
  for (const [from, to] of Object.entries(SIDE_MAP)) {
    for (const f of index.get(from) ?? []) {
      out.push({ ...f, name: to[side], source: { kind: 'derived', how: `pasted value taken as the ${side}'s (answer to q.case.pasted_side)`, from: [from] } });
    }
  }
  return out;
};

/** The device only keeps SHA-256(token); hash the server's token so the two can be compared. */
export const serverTokenHash: Deriver = (index) =>
  (index.get('server.push_token') ?? []).map((f) => ({
    name: 'server.push_token_sha256',
    value: createHash('sha256').update(Buffer.from(String(f.value), 'hex')).digest('hex'),
    source: { kind: 'derived', how: 'SHA-256 of the server\'s push token', from: ['server.push_token'] },
  }));

/**
 * Race after enrollment: how soon after the first TokenUpdate the first push
 * went out, and whether any push followed it.
 */
export const enrollmentTiming: Deriver = (index) => {
  const updates = (index.get('mdm.checkin.token_update') ?? []).map((f) => f.at).filter((t): t is string => !!t).sort();
  const pushes = (index.get('server.push_sent') ?? []).map((f) => f.at).filter((t): t is string => !!t).sort();
  if (!updates.length || !pushes.length) return [];
  const enrolled = updates[0];
  const after = pushes.filter((p) => p >= enrolled);
  if (!after.length) return [];
  const delay = (Date.parse(after[0]) - Date.parse(enrolled)) / 1000;
  const src = { kind: 'derived' as const, how: 'time from the first TokenUpdate to the first push after it', from: ['mdm.checkin.token_update', 'server.push_sent'] };
  return [
    { name: 'server.first_push_delay_seconds', value: Math.round(delay * 1000) / 1000, source: src, at: after[0] },
    {
      name: 'server.push_retried_after_enrollment',
      value: after.length > 1,
      source: { kind: 'derived', how: 'whether another push followed the first one after enrollment', from: ['server.push_sent'] },
    },
  ];
};

/** How soon after a push a device contact still counts as its answer. */
const ANSWER_WINDOW_MS = 60_000;
const CONTACTS = ['mdm.command.status', 'mdm.checkin.authenticate', 'mdm.checkin.token_update', 'device.log.checkin'];

/**
 * Whether the latest push was answered: the same device (when both name it)
 * reached the MDM server within a minute after it. An answered push shows
 * the topic, token and PushMagic the server used then were right; judging
 * the latest one keeps an old success from hiding a later failure (e.g. a
 * push certificate replaced since).
 */
export const pushAnswered: Deriver = (index) => {
  const pushes = (index.get('server.push_sent') ?? []).filter((f) => f.at).sort((a, b) => (a.at! < b.at! ? 1 : a.at! > b.at! ? -1 : 0));
  if (!pushes.length) return [];
  const contacts = CONTACTS.flatMap((n) => index.get(n) ?? []).filter((f) => f.at);
  if (!contacts.length) return [];
  const sameDevice = (a?: string, b?: string) => !a || !b || a === b;
  const answered = (p: (typeof pushes)[number]) => {
    const t = Date.parse(p.at!);
    return contacts.some((c) => {
      const dt = Date.parse(c.at!) - t;
      return dt >= 0 && dt <= ANSWER_WINDOW_MS && sameDevice(p.attrs?.udid, c.attrs?.udid);
    });
  };
  const evidenceEnds = Math.max(...contacts.map((c) => Date.parse(c.at!)));
  // The latest push the evidence can judge: answered, or followed by a full minute of evidence without an answer.
  const judged = pushes.find((p) => answered(p) || evidenceEnds >= Date.parse(p.at!) + ANSWER_WINDOW_MS);
  if (!judged) return [];
  const count = pushes.filter(answered).length;
  return [
    {
      name: 'server.push_answered',
      value: answered(judged),
      at: judged.at,
      source: {
        kind: 'derived',
        how: `whether the device reached the MDM server within a minute after the latest push (${count} of ${pushes.length} pushes answered)`,
        from: ['server.push_sent', ...CONTACTS],
      },
    },
  ];
};

export const mdmDerivers: Deriver[] = [pastedSide, serverTokenHash, enrollmentTiming, pushAnswered];
