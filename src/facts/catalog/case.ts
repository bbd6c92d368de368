import type { FactDefinition } from '../schema.js';

/** Facts about the case itself rather than any domain. */
export const caseFacts: FactDefinition[] = [
  {
    name: 'case.domain',
    type: 'string',
    domains: [],
    marksDomain: false,
    description: 'The kind of problem, when the evidence does not tell: mdm, apns, notnow or securemail (answered)',
  },
];
