export { renderJson } from './json.js';
export { renderMarkdown } from './markdown.js';
export { renderText, type TextOptions } from './text.js';
