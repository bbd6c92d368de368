export { scanPath, scanStream } from './scanInput.js';
