import { domainsMarkedBy } from '../catalog/index.js';
import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import type { Deriver } from './types.js';

/**
 * "APNs returned 200 at 09:05", typed in a thread, names no kind of push.
 * The reader keeps it as an app-push answer marked `stated`, which opens no
 * domain. When the case is an MDM one (someone said so, or the rest of the
 * evidence is MDM and none of it is app push), it is APNs's answer to the
 * MDM server's push: the same answer as an MDM fact, so the MDM rules and
 * the failed-push record use it (issue 8 item 5: MDM evidence stays MDM).
 */

type Index = ReadonlyMap<string, readonly Fact[]>;

export function statedAnswersAreMdm(index: Index): boolean {
  const said = (index.get('case.domain') ?? []).map((f) => String(f.value));
  if (said.length) return said.includes('mdm') && !said.includes('apns');
  // With an MDM server's push log in the case, apsd's lines about other apps' pushes (every device log has
  // them) make no app provider's evidence: only the provider's own logs, certificates or app would.
  const serverPushed = (index.get('server.push_sent') ?? []).length > 0;
  let mdm = serverPushed;
  for (const [, facts] of index)
    for (const f of facts) {
      if (f.source.kind === 'derived') continue;
      const marked = domainsMarkedBy(f);
      if (marked.includes('apns') && !(serverPushed && f.name.startsWith('device.'))) return false;
      if (marked.includes('mdm')) mdm = true;
    }
  return mdm;
}

export const statedAnswers: Deriver = (index) => {
  const stated = (index.get('apns.response') ?? []).filter((f) => f.attrs?.stated);
  if (!stated.length || !statedAnswersAreMdm(index)) return [];
  const out: Fact[] = [];
  for (const f of stated) {
    const source = {
      kind: 'derived' as const,
      how: `APNs's answer to the MDM server's push as a person stated it (${describeSource(f.source)}); the case is an MDM one`,
      from: ['apns.response'],
    };
    out.push({ name: 'mdm.apns_response', value: f.value, source, ...(f.at ? { at: f.at } : {}), attrs: { ...f.attrs } });
    // Without a time it is what an answer to q.mdm.push_status says: APNs's answer to the failing push.
    const status = Number(f.attrs?.status);
    if (!f.at && Number.isInteger(status))
      out.push({
        name: 'server.push_status',
        value: status,
        source,
        attrs: { ...(f.attrs?.time ? { time: f.attrs.time } : {}), ...(f.attrs?.zone ? { zone: f.attrs.zone } : {}) },
      });
  }
  return out;
};
