import type { Fact } from '../../facts/schema.js';
import { isDict, isoDate, str, type PlistDict } from '../plist/index.js';
import { sourceOf, type Item } from '../types.js';
import { normalizeEnvironment } from './hosts.js';

/** The two spellings of the push entitlement: iOS and macOS. */
export const APS_KEYS = ['aps-environment', 'com.apple.developer.aps-environment'] as const;

/** "TEAMID.com.example.app" → "com.example.app"; wildcards name no single app. */
function bundleIdFromAppId(appId: string): string | undefined {
  const m = appId.match(/^[A-Z0-9]{10}\.(.+)$/);
  const id = m ? m[1] : appId;
  return id.includes('*') || !id.includes('.') ? undefined : id;
}

/** What an entitlements dictionary says about push, as facts named with `prefix` (app or provisioning). */
export function entitlementFacts(ent: PlistDict, prefix: 'app' | 'provisioning', item: Item, extra: Record<string, string>, line?: number): Fact[] {
  const source = sourceOf(item, line);
  const facts: Fact[] = [];
  const key = APS_KEYS.find((k) => k in ent);
  const raw = key ? str(ent[key]) : undefined;
  facts.push({ name: `${prefix}.push_entitlement`, value: !!key, source, attrs: { ...extra, ...(key ? { key } : {}) } });
  if (raw) facts.push({ name: `${prefix}.aps_environment`, value: normalizeEnvironment(raw) ?? raw, source, attrs: { ...extra, key: key! } });
  const appId = str(ent['application-identifier']) ?? str(ent['com.apple.application-identifier']);
  const bundle = appId ? bundleIdFromAppId(appId) : undefined;
  if (bundle) facts.push({ name: 'app.bundle_id', value: bundle, source, attrs: { ...extra } });
  return facts;
}

/** Facts of a provisioning profile's decoded plist. */
export function profileFacts(p: PlistDict, item: Item): Fact[] {
  const source = sourceOf(item);
  const facts: Fact[] = [];
  const put = (name: string, value: string | number | boolean | undefined) => {
    if (value !== undefined) facts.push({ name, value, source });
  };
  const ent = isDict(p.Entitlements) ? p.Entitlements : undefined;
  if (ent) facts.push(...entitlementFacts(ent, 'provisioning', item, { from: 'provisioning_profile' }));
  put('provisioning.expires', isoDate(p.ExpirationDate));
  put('provisioning.created', isoDate(p.CreationDate));
  const teams = Array.isArray(p.TeamIdentifier) ? p.TeamIdentifier.map(str).filter(Boolean) : [];
  put('provisioning.team_id', teams[0] ?? (ent ? str(ent['com.apple.developer.team-identifier']) : undefined));
  put('provisioning.app_id', ent ? (str(ent['application-identifier']) ?? str(ent['com.apple.application-identifier'])) : undefined);
  put('provisioning.app_id_name', str(p.AppIDName));
  put('provisioning.name', str(p.Name));
  put('provisioning.uuid', str(p.UUID));
  const devices = Array.isArray(p.ProvisionedDevices) ? p.ProvisionedDevices.length : 0;
  put('provisioning.devices', devices);
  const debuggable = ent?.['get-task-allow'] === true || ent?.['com.apple.security.get-task-allow'] === true;
  put('provisioning.kind', debuggable ? 'development' : p.ProvisionsAllDevices === true ? 'enterprise' : devices > 0 ? 'ad_hoc' : 'app_store');
  return facts;
}

/** Whether a decoded plist is a provisioning profile rather than a bare entitlements dictionary. */
export function isProvisioningProfile(p: PlistDict): boolean {
  return isDict(p.Entitlements) && ('ExpirationDate' in p || 'TeamIdentifier' in p || 'ProvisionedDevices' in p);
}
