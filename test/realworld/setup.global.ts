import { realworldPresent, REALWORLD_DIR } from './files.js';

// Run on purpose: a missing folder is a failed run, not a quietly empty one.
export default function setup() {
  if (!realworldPresent())
    throw new Error(`the real-world inputs are not at ${REALWORLD_DIR}: put shared/realworld beside the repository or set PUSHCHECK_REALWORLD`);
}
