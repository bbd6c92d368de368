export { buildEscalation, renderFeedbackDraft, feedbackContext, type DraftOptions } from './draft.js';
export { polishDraft, DEFAULT_POLISH_MODEL, DEFAULT_POLISH_TIMEOUT_MS, type PolishOptions, type PolishResult } from './polish.js';
export { prepareFeedback, feedbackChecklist, TIMELINE_FILE_NAME, type FeedbackPackage } from './feedback.js';
export { verifyDraft, type Verdict } from './verify.js';
export { redactText, redactValue, secretsOf } from '../report/render/audience.js';
