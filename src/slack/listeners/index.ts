export { LISTENERS } from './allListeners.js';
