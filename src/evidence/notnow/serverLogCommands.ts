import { ENROLLMENT_TYPES } from './ids.js';
import { REQUEST_TYPE, UUIDISH } from './serverLogWords.js';

/** The commands a server log names: their UUIDs, and the RequestType each UUID was seen with. */
export class Commands {
  /** RequestType by command UUID, learned from the lines that name both (the enqueue or hand-out line). */
  readonly types = new Map<string, string>();

  uuid(f: Map<string, string>): string | undefined {
    const v = f.get('commanduuid') ?? f.get('cmduuid') ?? (UUIDISH.test(f.get('command') ?? '') ? f.get('command') : undefined);
    return v && v.length <= 100 ? v : undefined;
  }

  /** A RequestType named on the line. NanoMDM's `type=` is the enrollment type, MicroMDM's early `type=` the RequestType. */
  requestType(f: Map<string, string>): string | undefined {
    const t = f.get('type');
    const candidates = [f.get('requesttype'), f.get('command'), t && !ENROLLMENT_TYPES.has(t.toLowerCase()) ? t : undefined];
    for (const c of candidates) if (c && REQUEST_TYPE.test(c) && !UUIDISH.test(c)) return c;
    const uuid = this.uuid(f);
    return uuid ? this.types.get(uuid) : undefined;
  }

  learn(f: Map<string, string>): void {
    const uuid = this.uuid(f);
    const rt = f.get('requesttype');
    if (uuid && rt && REQUEST_TYPE.test(rt)) this.types.set(uuid, rt);
  }
}
