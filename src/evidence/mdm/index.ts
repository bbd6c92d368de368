export { mdmReaders } from './readerList.js';
