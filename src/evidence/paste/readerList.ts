import type { Reader } from '../types.js';
import { pasteValuesReader } from './reader.js';

/** Readers of the paste evidence, in a fixed order. */
export const pasteReaders: Reader[] = [pasteValuesReader];
