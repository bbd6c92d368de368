/** Something that says whether a line matches: a RegExp, or one of the tests below. */
export interface LineTest {
  test(text: string): boolean;
}

/**
 * "`first`, then later on the same line `then`": what `first[^\n]*then`
 * says, in linear time. The regex retries `[^\n]*` from every place `first`
 * matches, to the end of the line, which is quadratic on a line that repeats
 * `first` (64K characters of "SecIdentity" took 28 s). The earliest match of
 * `first` leaves the most line after it, so one look after it is enough.
 * Neither regex may be global.
 */
export function inOrder(first: RegExp, then: RegExp): LineTest {
  return {
    test(text) {
      for (const line of text.includes('\n') ? text.split('\n') : [text]) {
        const m = first.exec(line);
        if (m && then.test(line.slice(m.index + m[0].length))) return true;
      }
      return false;
    },
  };
}

/** Any of the tests holds. */
export function anyOf(...tests: LineTest[]): LineTest {
  return { test: (text) => tests.some((t) => t.test(text)) };
}
