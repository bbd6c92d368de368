import { isDict, type PlistValue } from '../plist/index.js';
import type { Collector } from './emit.js';
import { isCheckin, readCheckin } from './shapes/checkin.js';
import { isCommandResult, readCommandResult } from './shapes/commandResult.js';
import { isProfile, looksInstalled, readEnrollmentProfile, readProfileStub } from './shapes/profile.js';
import { isMdmState, readMdmState } from './shapes/state.js';

export type Shape = 'mdm_state' | 'profile_stub' | 'enrollment_profile' | 'checkin' | 'command_result';

/**
 * Reads one decoded plist by what it holds, not by what it is called: a
 * pasted MDM.plist or a check-in saved under any name reads the same.
 * Returns the shape it recognised, or undefined when it holds nothing MDM.
 */
export function readMdmPlist(value: PlistValue, path: string, out: Collector): Shape | undefined {
  if (!isDict(value)) return undefined;
  if (isCheckin(value)) {
    readCheckin(value, out);
    return 'checkin';
  }
  if (isCommandResult(value)) {
    readCommandResult(value, out);
    return 'command_result';
  }
  if (isMdmState(value)) {
    readMdmState(value, out);
    return 'mdm_state';
  }
  if (isProfile(value)) {
    if (looksInstalled(value, path)) {
      readProfileStub(value, out);
      return 'profile_stub';
    }
    readEnrollmentProfile(value, out);
    return 'enrollment_profile';
  }
  return undefined;
}
