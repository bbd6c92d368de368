import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch.js';
import { NANOMDM, SAMPLES, plainLine, type Shape } from './corpus.js';
import { linesRight, outcomeOf, plainFiles } from './measure.js';

/**
 * A collector's record may hold a message of many lines (a Go panic, a Java
 * stack trace, a JSON body the server printed), and a CSV export's quoted
 * message may run over many lines of the file. The engineer who opens the
 * file at the line a finding names must land on the record it was read from:
 * its first line, however many lines came before it.
 */
let n = 0;
const dir = () => `${scratchDir('pushcheck-lines-')}/${++n}`;

const TRACE = 'panic: runtime error: invalid memory address\n\ngoroutine 12 [running]:\nmain.(*Service).Push(...)\n\t/app/push.go:42 +0x1d\n';
const docker = (log: string, i: number) => JSON.stringify({ log, stream: 'stderr', time: `2026-11-20T09:00:0${i % 10}.000000000Z` });

/** Each fact names the file line its record starts at, as `lineOf` places the plain log's lines. */
async function expectLines(name: string, data: string, lineOf: (plainLine: number) => number): Promise<void> {
  const plain = await outcomeOf(dir(), plainFiles(SAMPLES.server));
  const files = [{ name, data: Buffer.from(data) }];
  const got = await outcomeOf(dir(), files);
  expect(got.facts).toEqual(plain.facts);
  const shape: Shape = { name, of: ['server'], make: () => files, lineOf };
  const lines = linesRight(shape, plain, got, files)!;
  expect(lines.have).toEqual(lines.want);
}

describe('a fact read from a wrapped log names the line its record starts at', () => {
  it('after a Docker record whose message is a stack trace of five lines', async () => {
    // Line 1: the first server line; line 2: the trace; lines 3…: the other server lines.
    const records = [docker(`${plainLine(NANOMDM[0]!)}\n`, 0), docker(TRACE, 1), ...NANOMDM.slice(1).map((l, i) => docker(`${plainLine(l)}\n`, i + 2))];
    await expectLines('container-json.log', `${records.join('\n')}\n`, (k) => (k === 1 ? 1 : k + 1));
  });

  it('in a Docker record holding two server lines (a container that writes them at once)', async () => {
    const [a, b, ...rest] = NANOMDM;
    const records = [docker(`${plainLine(a!)}\n${plainLine(b!)}\n`, 0), ...rest.map((l, i) => docker(`${plainLine(l)}\n`, i + 1))];
    await expectLines('container-json.log', `${records.join('\n')}\n`, (k) => (k <= 2 ? 1 : k - 1));
  });

  it('after a CSV row whose quoted message runs over four lines of the file', async () => {
    const rows = NANOMDM.map(([at, rest]) => `"${at}.000Z","mdm-1","${rest}"`);
    // Row 2 (file line 3) is a stack trace; the server's rows after it start three lines further down than their count.
    rows.splice(1, 0, `"2026-11-20T09:00:00.500Z","mdm-1","${TRACE.trimEnd().replace(/"/g, '""')}"`);
    await expectLines('graylog-search-result.csv', `"timestamp","source","message"\n${rows.join('\n')}\n`, (k) => (k === 1 ? 2 : k + 6));
  });

  it('in a CSV row whose quoted message holds two server lines', async () => {
    const [a, b, ...rest] = NANOMDM;
    const rows = [`"${a![0]}.000Z","${plainLine(a!)}\n${plainLine(b!)}"`, ...rest.map((l) => `"${l[0]}.000Z","${plainLine(l)}"`)];
    await expectLines('export.csv', `timestamp,message\n${rows.join('\n')}\n`, (k) => (k <= 2 ? 2 : k + 1));
  });

  it('in journalctl json-pretty records of different lengths', async () => {
    // A record with fields the others lack, over more lines: the next record's first line moves down.
    const records = NANOMDM.map(([at, rest], i) =>
      JSON.stringify(
        {
          __REALTIME_TIMESTAMP: `${Date.parse(`${at}Z`)}000`,
          MESSAGE: rest,
          ...(i % 3 === 0 ? { CODE_FILE: 'push.go', CODE_LINE: '42', CODE_FUNC: 'Push' } : {}),
        },
        null,
        '\t',
      ),
    );
    const starts: number[] = [];
    let line = 1;
    for (const r of records) {
      starts.push(line);
      line += r.split('\n').length;
    }
    await expectLines('journal.json', `${records.join('\n')}\n`, (k) => starts[k - 1]!);
  });
});
