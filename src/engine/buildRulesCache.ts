// Run by `npm run build`: validates rules/ once and writes the cached form next to rulesCache.js.
import { loadRules } from './loadRules.js';
import { writeRulesCache } from './rulesCache.js';

writeRulesCache(loadRules());
