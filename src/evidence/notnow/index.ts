import type { Reader } from '../types.js';
import { mdmServerLogReader } from './serverLog.js';

/** Readers of the notnow evidence, in a fixed order. */
export const notnowReaders: Reader[] = [mdmServerLogReader];
