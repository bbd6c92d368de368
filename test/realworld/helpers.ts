import { readFileSync } from 'node:fs';
import { read } from '../mdm-readers/helpers.js';
import type { ReadResult } from '../../src/evidence/types.js';
import { realworld } from './files.js';

export { realworld, realworldFiles, REALWORLD_DIR } from './files.js';

/** Reads a real-world file exactly as it is, through the real dispatcher, under its bare name. */
export function readReal(name: string): Promise<ReadResult> {
  return read(name, readFileSync(realworld(name)));
}
