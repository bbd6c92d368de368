import type { Fact } from '../schema.js';
import { order } from '../time.js';
import { derived, when, zoneAttr, type PushAnalysis } from './pushAnalysis.js';
import type { DeriveParams } from './types.js';

/**
 * The enrollment race (seed 000): the first push after the enrollment's
 * TokenUpdate, whether it left within the race window (provably, given the
 * stamps' resolution), whether the server pushed again, and whether the
 * device ever came.
 */
export function raceFacts(a: PushAnalysis, params: DeriveParams): Fact[] {
  const d = a.device;
  if (!d) return [];
  const auth = [...d.contacts].reverse().find((c) => c.name === 'mdm.checkin.authenticate');
  const update = d.contacts.find((c) => c.name === 'mdm.checkin.token_update' && (!auth || order(auth.m, c.m) === 'before'));
  if (!update) return [];
  const idx = a.verdicts.findIndex((v) => order(update.m, v.push.m) === 'before');
  if (idx < 0) return [];
  const first = a.verdicts[idx].push;
  const from = ['mdm.checkin.token_update', 'server.push_sent'];
  const out: Fact[] = [];
  // Dated by the push: a zone-less log's time keeps its "zone unknown" wherever it is shown.
  const zone = zoneAttr(first);
  const zoned = Object.keys(zone).length ? { attrs: zone } : {};
  const gapLeast = first.m.ms - (update.m.ms + update.m.res - 1);
  const gapMost = first.m.ms + first.m.res - 1 - update.m.ms;
  const sameClock = update.m.src === first.m.src || (!update.m.zoneLess && !first.m.zoneLess);
  if (sameClock) {
    out.push({
      name: 'server.first_push_delay_seconds',
      value: Math.round(first.m.ms - update.m.ms) / 1000,
      at: first.fact.at,
      ...zoned,
      source: derived(
        `time from ${d.label}'s TokenUpdate (${when(update)}) to the first push after it (${when(first)}); stamps of ${update.m.res === 1000 || first.m.res === 1000 ? 'whole seconds' : 'milliseconds'}`,
        from,
      ),
    });
    if (params.enrollmentRaceSeconds) {
      const windowMs = params.enrollmentRaceSeconds * 1000;
      const within = gapMost <= windowMs ? true : gapLeast > windowMs ? false : undefined;
      if (within !== undefined)
        out.push({
          name: 'server.first_push_within_race_window',
          value: within,
          at: first.fact.at,
          ...zoned,
          source: derived(
            `the first push left ${gapLeast <= 0 ? 'at most' : `between ${gapLeast / 1000} s and`} ${Math.max(gapMost, 0) / 1000} s after the TokenUpdate; the race window is under ${params.enrollmentRaceSeconds} s`,
            from,
          ),
        });
    }
  }
  const ends = a.verdicts[idx];
  const coveredAfter = ends.verdict !== 'unknown' || ends.why !== 'evidence_ends';
  const later = a.verdicts.slice(idx + 1).some((v) => order(first.m, v.push.m) === 'before');
  if (later || coveredAfter)
    out.push({
      name: 'server.push_retried_after_enrollment',
      value: later,
      source: derived(`whether the server pushed to ${d.label} again after the first push following its TokenUpdate`, ['server.push_sent']),
    });
  const came = d.contacts.some((c) => order(first.m, c.m) === 'before');
  if (came || coveredAfter)
    out.push({
      name: 'server.device_came_after_push',
      value: came,
      source: derived(`whether ${d.label} reached the MDM server at any time after the first push following its TokenUpdate (${when(first)})`, [
        'server.push_sent',
        'mdm.command.status',
      ]),
    });
  return out;
}
