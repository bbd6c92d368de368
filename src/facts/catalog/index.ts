// Every fact pushcheck knows, by name: what it means, which domains it marks, whether it is secret. Re-exports only.
export { allFactDefinitions, domainsHintedBy, domainsMarkedBy, factDefinition, isSecretFact } from './catalog.js';
