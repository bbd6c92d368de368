import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import { duration, order, shift } from '../time.js';
import type { DeviceEvent } from './deviceEvents.js';
import { derived, isoOf, latestTime, when, zoneAttr, type Index, type PushAnalysis } from './pushAnalysis.js';

/** What the device did after the failure under diagnosis: only that speaks to it. */

/**
 * A contact only an enrolled device makes: not Authenticate (enrolling), not CheckOut (leaving), not an
 * exchange the server refused (mdmd's "Transaction completed. Status: 401").
 */
function provesEnrollment(name: string, httpStatus: string | undefined): boolean {
  if (name === 'mdm.checkin.checkout' || name === 'mdm.checkin.authenticate') return false;
  // "Has not checked in since": the server reporting the device gone quiet, which a wipe or unenrollment also looks like.
  if (name === 'server.device_last_checkin') return false;
  if (name === 'device.log.checkin' && httpStatus && !/^2\d\d$/.test(httpStatus)) return false;
  return true;
}

/**
 * When the device last reached the MDM server, counting only contacts not
 * before the failure (an earlier poll or answered push says nothing about a
 * later failure). With no failure on record, every contact counts; with a
 * failure whose time is unknown, none can be placed after it.
 */
export function reachedFacts(a: PushAnalysis, index: Index): Fact[] {
  const d = a.device;
  if (!d || a.failureUntimed) return [];
  // With no failure on record, a latest push the evidence cannot judge because it ends inside the push's answer
  // window (the log exported right after pushing) may be the failure itself: only a contact after it speaks for
  // it. (A push whose answer sits on a clock without a zone is left to the zone question, as before.)
  const latest = a.verdicts.at(-1);
  const from =
    a.failure ??
    (latest?.verdict === 'unknown' && latest.why === 'evidence_ends'
      ? { m: latest.push.m, what: `the latest push, whose answer the evidence does not show (${when(latest.push)}, ${latest.push.where})` }
      : undefined);
  const after = (c: DeviceEvent) => !from || order(from.m, c.m) === 'before';
  const out: Fact[] = [];
  const reached = [...d.contacts].reverse().find(after);
  const since = from ? ` after ${from.what}` : '';
  // With no failure on record, a contact without a time still shows the device reaching the server.
  const undated = !from && !reached ? d.untimed[0] : undefined;
  if (undated)
    out.push({
      name: 'device.reached_mdm_server',
      value: 'time not in the evidence',
      source: derived(
        `${d.label} reached the MDM server (${undated.name} = ${String(undated.value)}, ${describeSource(undated.source)}); the evidence does not say when`,
        [undated.name],
      ),
      attrs: { device: d.label },
    });
  if (reached)
    out.push({
      name: 'device.reached_mdm_server',
      // No `at`: the contact itself is already on the timeline.
      value: reached.fact.at!,
      source: derived(`${d.label} ${reached.what} at ${when(reached)}${since} (${reached.where})`, [reached.fact.name]),
      attrs: { device: d.label, ...zoneAttr(reached) },
    });
  // Reaching the server with its identity means it held an enrollment then; a CheckOut ends it.
  const lastCheckout = [...d.contacts].reverse().find((c) => c.name === 'mdm.checkin.checkout');
  const enrolled = [...d.contacts]
    .reverse()
    .find((c) => provesEnrollment(c.name, c.attr('http_status')) && after(c) && (!lastCheckout || order(lastCheckout.m, c.m) === 'before'));
  const undatedEnrolled =
    !from && !enrolled && !lastCheckout && !d.untimed.some((f) => f.name === 'mdm.checkin.checkout')
      ? d.untimed.find((f) => provesEnrollment(f.name, f.attrs?.http_status))
      : undefined;
  if (undatedEnrolled)
    out.push({
      name: 'device.mdm_enrolled',
      value: true,
      source: derived(
        `${d.label} reached the MDM server with its enrollment (${undatedEnrolled.name} = ${String(undatedEnrolled.value)}, ${describeSource(undatedEnrolled.source)})`,
        [undatedEnrolled.name],
      ),
      attrs: { device: d.label },
    });
  // A CheckOut after the failure that nothing of the device follows (no enrollment, no poll, no other contact):
  // the evidence shows the device holding no enrollment since. Said as a fact, so that an answer that it still
  // holds one (q.mdm.enrolled) meets it as a disagreement instead of quietly outweighing it. Evidence of its
  // enrollment read elsewhere (a sysdiagnose's MDM.plist) is left to speak for itself.
  const leftSince =
    lastCheckout &&
    !(index.get('device.mdm_enrolled') ?? []).some((f) => f.source.kind !== 'answer') &&
    !enrolled &&
    after(lastCheckout) &&
    d.contacts.every((c) => c === lastCheckout || order(c.m, lastCheckout.m) === 'before') &&
    !d.untimed.some((f) => f.name !== 'mdm.checkin.checkout' && provesEnrollment(f.name, f.attrs?.http_status));
  if (leftSince)
    out.push({
      name: 'device.mdm_enrolled',
      value: false,
      source: derived(`${d.label} ${lastCheckout.what} at ${when(lastCheckout)}${since}, and nothing of it follows in the evidence (${lastCheckout.where})`, [
        lastCheckout.fact.name,
      ]),
      attrs: { device: d.label },
    });
  if (lastCheckout) checkoutOrderFacts(d, lastCheckout, out);
  if (enrolled)
    out.push({
      name: 'device.mdm_enrolled',
      value: true,
      source: derived(`${d.label} ${enrolled.what} at ${when(enrolled)}${since}, so it held an MDM enrollment then (${enrolled.where})`, [enrolled.fact.name]),
      attrs: { device: d.label },
    });
  return out;
}

/**
 * Where the device's last CheckOut stands among the server's pushes to it, when no enrollment follows it: a push
 * after it went to an enrollment the device had left (the server still pushes); with every push before it, the
 * device was still enrolled when they went out, and leaving explains none of them. Neither when the stamps cannot
 * order a push against the CheckOut (two logs without a common clock).
 */
function checkoutOrderFacts(d: NonNullable<PushAnalysis['device']>, checkout: DeviceEvent, out: Fact[]): void {
  const reenrolled = d.contacts.some(
    (c) => (c.name === 'mdm.checkin.authenticate' || c.name === 'mdm.checkin.token_update') && order(checkout.m, c.m) === 'before',
  );
  if (reenrolled || !d.pushes.length) return;
  const firstAfter = d.pushes.find((p) => order(checkout.m, p.m) === 'before');
  if (firstAfter) {
    out.push({
      name: 'mdm.push_after_checkout',
      value: firstAfter.fact.at!,
      source: derived(
        `the server pushed to ${d.label} at ${when(firstAfter)} (${firstAfter.where}), after it ${checkout.what} at ${when(checkout)} (${checkout.where})`,
        ['server.push_sent', 'mdm.checkin.checkout'],
      ),
      attrs: { device: d.label, ...zoneAttr(firstAfter) },
    });
    return;
  }
  if (!d.pushes.every((p) => order(p.m, checkout.m) === 'before')) return;
  const last = d.pushes.at(-1)!;
  out.push({
    name: 'mdm.checkout_after_pushes',
    value: last.fact.at!,
    source: derived(
      `every push to ${d.label} in the evidence went out before it ${checkout.what} at ${when(checkout)} (${checkout.where}); the last at ${when(last)} (${last.where})`,
      ['server.push_sent', 'mdm.checkin.checkout'],
    ),
    attrs: { device: d.label, ...zoneAttr(last) },
  });
}

/**
 * "Was the failing push sent right after enrollment?" needs no asking when
 * the MDM profile was installed well before the failure.
 */
export function soonAfterEnrollmentFacts(a: PushAnalysis, index: Index): Fact[] {
  if (!a.failure) return [];
  const installed = latestTime(index, 'device.mdm_profile_installed_at');
  if (!installed) return [];
  // Well before: more than the answer window, which dwarfs the race (under a second).
  if (order(shift(installed, a.windowMs), a.failure.m) !== 'before') return [];
  return [
    {
      name: 'case.push_soon_after_enrollment',
      value: false,
      source: derived(`the MDM profile was installed at ${isoOf(installed)}, ${duration(a.failure.m.ms - installed.ms)} before ${a.failure.what}`, [
        'device.mdm_profile_installed_at',
        'server.push_sent',
        'case.failures_began',
      ]),
    },
  ];
}
