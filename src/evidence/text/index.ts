import type { Reader } from '../types.js';
import { apsctlStatusReader } from './apsctlStatus.js';
import { deviceLogReader } from './deviceLog.js';
import { logArchiveReader } from './logArchive.js';
import { webAccessLogReader } from './webAccessLog.js';

/** Readers of the text evidence, in a fixed order. */
export const textReaders: Reader[] = [deviceLogReader, logArchiveReader, apsctlStatusReader, webAccessLogReader];
