/** File names that announce MDM evidence whatever their content looks like. */
const MDM_STATE_NAME = /^(User)?MDM\.plist$/i;
const STUB_NAME = /\.stub$/i;
const PROFILE_NAME = /\.mobileconfig$/i;

/** Names we expect to hold MDM data: a plist of another kind under such a name is worth a problem. */
export function isMdmName(name: string): boolean {
  return MDM_STATE_NAME.test(name) || STUB_NAME.test(name) || PROFILE_NAME.test(name);
}
