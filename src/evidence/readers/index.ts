export { readers } from './allReaders.js';
