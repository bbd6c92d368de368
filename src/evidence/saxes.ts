import { createRequire } from 'node:module';

let lib: typeof import('saxes') | undefined;

/**
 * The XML parser package, loaded the first time an XML document (a plist, Secure Mail's policy) is
 * read, as plist/binary.ts loads its own: not while the command starts, where compiling the package
 * took 6-20 ms of its longest stretch of main-thread work.
 */
export function saxes(): typeof import('saxes') {
  return (lib ??= createRequire(import.meta.url)('saxes') as typeof import('saxes'));
}
