export { renderJson } from './json.js';
export { renderMarkdown, type MarkdownOptions } from './markdown.js';
export { renderText, type Detail, type TextOptions } from './text.js';
export { digest, opening, TOP_QUESTIONS, type Digest, type FoundCause } from './digest.js';
export type { WordsOptions } from './places.js';
export { formatTime } from '../time.js';
export { focusQuestions } from '../focus.js';
export { messageLabel, messageTime, messageWords, parseMessageLabel } from './messages.js';
