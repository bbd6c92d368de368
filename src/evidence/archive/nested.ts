import type { ArchiveOpener } from './scan.js';
import { TarParser } from './tar.js';
import { ZipSpool } from './zip.js';

/** An archive inside an archive (or the input itself, `isInput`): the tar or zip parser, one level deeper. */
export const openNestedArchive: ArchiveOpener = (kind, scan, member, prefix, depth, isInput = false) =>
  kind === 'tar' ? new TarParser(scan, prefix, depth) : new ZipSpool(scan, member, prefix, depth, isInput);
