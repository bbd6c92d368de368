import type { Reader } from '../types.js';
import { jamfServerLogReader } from './reader.js';

/** Readers of Jamf Pro's own logs, in a fixed order. */
export const jamfReaders: Reader[] = [jamfServerLogReader];
