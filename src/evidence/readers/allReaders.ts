import { apnsReaders } from '../apns/index.js';
import { jamfReaders } from '../jamf/index.js';
import { mdmReaders } from '../mdm/index.js';
import { notnowReaders } from '../notnow/index.js';
import { pasteReaders } from '../paste/index.js';
import { securemailReaders } from '../securemail/index.js';
import { textReaders } from '../text/index.js';
import type { Reader } from '../types.js';

/**
 * Every reader pushcheck knows, in a fixed order. Each domain keeps its
 * readers in its own folder under src/evidence/ and exports their list, in
 * its order, from its index.
 */
export const readers: Reader[] = [...pasteReaders, ...mdmReaders, ...textReaders, ...apnsReaders, ...notnowReaders, ...jamfReaders, ...securemailReaders];
