export { securemailReaders } from './readerList.js';
