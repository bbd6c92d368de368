export const HELP = `pushcheck — find out why Apple push notifications do not arrive

Usage:
  pushcheck diagnose [PATH ...] [options]   Diagnose from evidence (sysdiagnose .tar.gz/.tgz/.tar or folder,
                                            Secure Mail .zip, plists, profiles, certificates, logs)
  pushcheck feedback [PATH ...] [options]   Print only the Apple Feedback draft (same options)
  pushcheck help                            This text

Options:
  --topic T            The push topic the MDM server uses
  --magic M            The PushMagic the MDM server sends
  --token TOKEN        The push token the server uses (64 hex digits, spaced, <…>, or base64)
  --paste TEXT         Pasted text (values, log lines, an APNs response); repeatable; "-" reads stdin
  --paste-file FILE    The same, from a file ("-" for stdin); repeatable
  --answer ID=VALUE    Answer a question the report asked (e.g. --answer q.mdm.wiped=no); repeatable
  --format FMT         text (default), markdown or json
  --detail LEVEL       summary (default: what was found, what to do, the top questions)
                       or full (every cause, rule, observation and the timeline in words;
                       JSON always holds everything)
  --timeline FILE.png  Also write a timeline picture of the timed events
  --redact             Shorten tokens, magic and UDIDs (for sharing in wider channels)
  --now TIME           Reference time for "expired" checks (ISO 8601); default: none (no clock is read)
  --no-color           Plain text even on a terminal

Exit codes: 0 a report was produced (unreadable inputs are listed under problems),
            2 usage error, 1 internal failure.
`;
