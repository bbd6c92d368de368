// Reading one stream into facts, for a worker thread that reads files and
// nothing else (the case service's index would load the engine and the rules too).
export { readStream } from '../evidence/read.js';
