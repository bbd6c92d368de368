import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real-world inputs live beside the repository (../shared/realworld), not
 * in it: files written by others, used exactly as they are. PUSHCHECK_REALWORLD
 * points elsewhere when they sit somewhere else.
 */
export const REALWORLD_DIR = resolve(process.env.PUSHCHECK_REALWORLD ?? fileURLToPath(new URL('../../../shared/realworld/', import.meta.url)));

export const realworld = (name: string): string => join(REALWORLD_DIR, name);

/** Every input file (the folder's README describes them and is not one). */
export function realworldFiles(): string[] {
  return readdirSync(REALWORLD_DIR)
    .filter((n) => n !== 'README.md')
    .sort();
}

export function realworldPresent(): boolean {
  return existsSync(REALWORLD_DIR);
}
