import type { Reader } from '../types.js';
import { mdmFragmentsReader } from './fragments.js';
import { mdmPlistReader } from './plistReader.js';
import { mdmWebhookReader } from './webhook.js';

/** Readers of the mdm evidence, in a fixed order. */
export const mdmReaders: Reader[] = [mdmPlistReader, mdmWebhookReader, mdmFragmentsReader];
