import type { Reader } from '../types.js';
import { pasteValuesReader } from './reader.js';

export { parsePaste, type PastedValue, type PasteIssue, type Side } from './parse.js';
export { serverValues, type ServerValueFlags } from './serverValues.js';

/** Readers of the paste evidence, in a fixed order. */
export const pasteReaders: Reader[] = [pasteValuesReader];
