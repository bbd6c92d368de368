export { apnsReaders } from './readerList.js';
