export { scanPath, scanStream, type ScanResult } from './scanInput.js';
export { sniff, type ContentKind } from './sniff.js';
