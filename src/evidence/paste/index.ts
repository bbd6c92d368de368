export { pasteReaders } from './readerList.js';
export { serverValues } from './serverValues.js';
