import type { Report } from '../types.js';

/** The JSON contract: stable key order (as built), two-space indent, trailing newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
