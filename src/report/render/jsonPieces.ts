import type { Report } from '../types.js';

/**
 * renderJson's text in pieces, each a report key's value or one element of
 * a long array (the timeline is most of a push-heavy report): concatenated,
 * byte for byte what JSON.stringify(report, null, 2) gives, plus the newline.
 * A writer can send them as they come instead of building one string of
 * megabytes first.
 */
export function* renderJsonPieces(report: Report): Generator<string, void, void> {
  yield* pieces(report, '', 0);
  yield '\n';
}

/** Above this depth a value is one piece: JSON.stringify is faster than walking it here. */
const SPLIT_DEPTH = 2;

function* pieces(value: unknown, indent: string, depth: number): Generator<string, void, void> {
  const v = toJsonValue(value);
  if (v === null || typeof v !== 'object') {
    yield JSON.stringify(v) ?? 'null';
    return;
  }
  if (depth >= SPLIT_DEPTH) {
    yield inPlace(v, depth);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (!v.length) return yield '[]';
    yield '[\n';
    for (let i = 0; i < v.length; i++) {
      yield inner;
      yield* pieces(omitted(toJsonValue(v[i])) ? null : v[i], inner, depth + 1);
      yield i < v.length - 1 ? ',\n' : '\n';
    }
    return yield `${indent}]`;
  }
  const keys = Object.keys(v).filter((k) => !omitted(toJsonValue((v as Record<string, unknown>)[k])));
  if (!keys.length) return yield '{}';
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    yield `${inner}${JSON.stringify(keys[i])}: `;
    yield* pieces((v as Record<string, unknown>)[keys[i]!], inner, depth + 1);
    yield i < keys.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

/**
 * JSON.stringify(v, null, 2) indented as it stands `depth` levels deep: stringified inside `depth`
 * arrays, so JSON.stringify indents it there itself, and cut out of them (a slice, not a copy; a
 * second pass putting the indent after every newline cost a push-heavy report a third of its JSON).
 */
function inPlace(v: object, depth: number): string {
  let wrapped: unknown = v;
  for (let k = 0; k < depth; k++) wrapped = [wrapped];
  const s = JSON.stringify(wrapped, null, 2);
  // Before the value: "[\n", "  [\n"… and its own indent (depth² + 3·depth); after it: "\n  ]", "\n]"… (depth² + depth).
  return s.slice(depth * depth + 3 * depth, s.length - depth * depth - depth);
}

function toJsonValue(v: unknown): unknown {
  return v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : v;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}
