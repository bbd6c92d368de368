import { answerButtonListener } from './answerButton.js';
import { answerValueOpenListener } from './answerValueOpen.js';
import { answerValueSubmitListener } from './answerValueSubmit.js';
import { appMentionListener } from './appMention.js';
import { commandListener } from './command.js';
import { feedbackDraftListener } from './feedbackDraft.js';
import { messageListener } from './message.js';
import { messageShortcutListener } from './messageShortcut.js';
import { moreQuestionsListener } from './moreQuestions.js';
import { showAllEvidenceListener } from './showAllEvidence.js';
import { startModalListener } from './startModal.js';
import type { Listener } from './types.js';

/** Every listener the app registers, in one list (the manifest test reads it). */
export const LISTENERS: Listener[] = [
  messageListener,
  appMentionListener,
  commandListener,
  startModalListener,
  answerButtonListener,
  answerValueOpenListener,
  answerValueSubmitListener,
  messageShortcutListener,
  feedbackDraftListener,
  moreQuestionsListener,
  showAllEvidenceListener,
];
