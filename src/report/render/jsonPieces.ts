import type { Report } from '../types.js';

/**
 * renderJson's text in pieces, each a report key's value or a run of
 * elements of a long array (the timeline is most of a push-heavy report):
 * concatenated, byte for byte what JSON.stringify(report, null, 2) gives,
 * plus the newline. A writer can send them as they come instead of building
 * one string of megabytes first.
 */
export function* renderJsonPieces(report: Report): Generator<string, void, void> {
  yield* pieces(report, '', 0);
  yield '\n';
}

/**
 * Characters a run of array elements is stringified in, about: one JSON.stringify call per run, not
 * per element or per key of each (a push-heavy report's 3,000 timeline events in pieces of a few
 * bytes were 50,000 pieces and as many calls; the call and the piece cost more than the text).
 */
const RUN_CHARS = 32 * 1024;

function* pieces(value: unknown, indent: string, depth: number): Generator<string, void, void> {
  const v = toJsonValue(value);
  if (v === null || typeof v !== 'object') {
    yield JSON.stringify(v) ?? 'null';
    return;
  }
  if (Array.isArray(v)) {
    yield* arrayPieces(v, indent, depth);
    return;
  }
  // The report's own keys one by one; a value inside one of them (a cause, the filing) is one piece.
  if (depth > 0) {
    yield inPlace(v, depth);
    return;
  }
  const inner = `${indent}  `;
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

/** An array in runs of elements, each run about RUN_CHARS long (the run grows or shrinks with what its elements came to). */
function* arrayPieces(v: unknown[], indent: string, depth: number): Generator<string, void, void> {
  if (!v.length) return yield '[]';
  const inner = `${indent}  `;
  yield `[\n${inner}`;
  let n = 8;
  for (let i = 0; i < v.length; ) {
    const run = v.slice(i, i + n);
    const text = elementsInPlace(run, depth + 1);
    i += run.length;
    // The run apart from its separator: a writer may send a long run as it is, flat, where text joined to the separator would have to be copied first.
    yield text;
    if (i < v.length) yield `,\n${inner}`;
    if (text.length < RUN_CHARS / 2 && n < 4096) n *= 2;
    else if (text.length > RUN_CHARS * 2 && n > 1) n >>= 1;
  }
  yield `\n${indent}]`;
}

/**
 * Array elements as they stand `depth` levels deep, separated as JSON.stringify separates them there:
 * the run stringified one level up (inPlace) without its own brackets. JSON.stringify writes an element
 * it leaves out of objects (undefined, a function) as null, as it does in the array itself.
 */
function elementsInPlace(run: unknown[], depth: number): string {
  const s = inPlace(run, depth - 1);
  // Its "[\n" and the first element's indent; its last newline, the indent one level up and "]".
  return s.slice(2 + 2 * depth, s.length - 2 * depth);
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
