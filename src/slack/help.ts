/** What /pushcheck help and an empty mention answer. */
export const HELP_TEXT = [
  '*pushcheck* finds out why Apple push notifications do not arrive.',
  "• Drop a sysdiagnose (.tar.gz), an MDM.plist, profile stubs or logs in this channel: the diagnosis appears in the message's thread.",
  '• Paste values in the thread (e.g. `plutil -p MDM.plist | grep PushMagic` output, a push token, log lines): the diagnosis updates.',
  "• `/pushcheck topic=… magic=… token=…` starts a diagnosis from the MDM server's records.",
  '• `/pushcheck` alone opens a form for the values and the kind of problem.',
  '• On an existing message: ⋮ › *Diagnose push issue*.',
  'Questions only a person can answer come as buttons in the summary message.',
].join('\n');
