import type { Fact } from '../schema.js';

type Index = ReadonlyMap<string, readonly Fact[]>;

/** The device someone named as the case's (the last answer to q.case.device stands), as typed, trimmed. */
export function answeredCaseDevice(index: Index): string | undefined {
  const answered = (index.get('case.device_id') ?? []).filter((f) => f.source.kind === 'answer').at(-1);
  return answered ? String(answered.value).trim() : undefined;
}
