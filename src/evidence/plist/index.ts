export { parsePlist, parseTruncatedXmlPlist } from './parse.js';
export { keyLines, NO_LINES, type KeyLines } from './keyLines.js';
export { looksLikePlist } from './sniff.js';
export { bool, bytes, isDict, isoDate, num, str, type PlistDict, type PlistValue } from './values.js';
