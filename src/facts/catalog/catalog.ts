import type { Domain, Fact, FactDefinition } from '../schema.js';
import { apnsFacts } from './apns.js';
import { caseFacts } from './case.js';
import { deviceFacts } from './device.js';
import { providerFacts } from './provider.js';
import { mdmFacts } from './mdm.js';
import { notnowFacts } from './notnow.js';
import { securemailFacts } from './securemail.js';

export const allFactDefinitions: FactDefinition[] = [
  ...caseFacts,
  ...mdmFacts,
  ...apnsFacts,
  ...notnowFacts,
  ...securemailFacts,
  ...deviceFacts,
  ...providerFacts,
];

const byName = new Map<string, FactDefinition>();
for (const def of allFactDefinitions) {
  if (byName.has(def.name)) throw new Error(`fact ${def.name} is defined twice in the catalog`);
  byName.set(def.name, def);
}

export function factDefinition(name: string): FactDefinition | undefined {
  return byName.get(name);
}

export function isSecretFact(name: string): boolean {
  return byName.get(name)?.secret === true;
}

/** The domains an observed fact makes relevant (none for facts that do not mark one). */
export function domainsMarkedBy(f: Fact): readonly Domain[] {
  const def = byName.get(f.name);
  if (!def || def.marksDomain === false) return [];
  return def.marks ? def.marks(f) : def.domains;
}

/** The domains an observed fact points at when no fact in the case marks one (see FactDefinition.hints). */
export function domainsHintedBy(f: Fact): readonly Domain[] {
  return byName.get(f.name)?.hints?.(f) ?? [];
}
