export { DEFAULT_MAX_XML_BYTES, DEFAULT_MAX_XML_OBJECTS, parsePlist, type PlistOptions, type PlistParsed, type PlistProblem, type PlistResult } from './parse.js';
export { keyLines, NO_LINES, type KeyLines } from './lines.js';
export { isBinaryPlist, isCmsSigned, isXmlPlist, looksLikePlist } from './sniff.js';
export { base64Of, bool, bytes, hexOf, isDict, isoDate, num, str, type PlistDict, type PlistValue } from './values.js';
