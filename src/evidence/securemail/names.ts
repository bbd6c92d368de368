/** How the files of a Secure Mail log bundle are named (case varies: Ctxlog_, CtxLog_, CTXLog_). */
export const POLICIES_FILE = /^ctxlog_apppolicies\b.*\.xml$/i;
export const APNS_EVENTS_FILE = /^ctxlog_apns_events\b.*\.csv$/i;
export const FETCH_SCHEDULE_FILE = /^ctxlog_backgroundfetchschedule\b.*\.csv$/i;
/** Any other CtxLog_* text file may be the app log; its content decides (a Module column or Secure Mail module names). */
export const CTXLOG_TEXT_FILE = /^ctxlog.*\.(csv|txt|log)$/i;
/** Marks Secure Mail's own log lines wherever they turn up (a paste, a renamed file). */
export const SECURE_MAIL_MODULE = /Secure\s?Mail\.[A-Za-z]/;
