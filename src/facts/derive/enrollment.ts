import type { Deriver } from './types.js';

/**
 * A template value is only useful to report with the key it sits in: "Topic =
 * com.apple.mgmt.External.YOUR-PUSH-TOPIC-HERE" says what to fix, the bare
 * value does not.
 */
const placeholderFields: Deriver = (index) =>
  [...new Set((index.get('profile.placeholder') ?? []).map((f) => `${f.attrs?.key ?? 'a value'} = ${String(f.value)}`))].sort().map((value) => ({
    name: 'profile.placeholder_field',
    value,
    source: { kind: 'derived' as const, how: 'a template value of the enrollment profile with the key it sits in', from: ['profile.placeholder'] },
  }));

export const enrollmentDerivers: Deriver[] = [placeholderFields];
