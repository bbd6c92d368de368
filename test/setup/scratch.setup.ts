// Runs around every test file: the shared helpers' temporary folders go when the file ends.
import { afterAll } from 'vitest';
import { removeScratch } from '../support/scratch.js';

afterAll(removeScratch);
