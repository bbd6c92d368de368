export { renderJson } from './json.js';
export { renderJsonPieces } from './jsonPieces.js';
export { renderMarkdown, type MarkdownOptions } from './markdown.js';
export { renderText, type Detail, type TextOptions } from './text.js';
export { digest, opening, type Digest, type FoundCause } from './digest.js';
export type { WordsOptions } from './places.js';
export { focusQuestions } from '../focus.js';
export { messageLabel, messageTime, messageWords, parseMessageLabel } from './messages.js';
