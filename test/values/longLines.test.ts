import { describe, expect, it } from 'vitest';
import { isHedged, lineShape } from '../../src/evidence/apns/answerShape.js';
import { idOnLine, isNoPushInfo, isServerApi } from '../../src/evidence/apns/serverApi.js';
import { parsePaste } from '../../src/evidence/paste/parse.js';
import { proseTime } from '../../src/evidence/paste/proseTime.js';
import { sideOf } from '../../src/evidence/paste/side.js';
import { judgeValue } from '../../src/facts/valueShape.js';

/**
 * Hostile input: a 64 KB line (the line limit) built to make a careless
 * regular expression backtrack. Every check added for issue 8 must still
 * return (an early lineShape took 30 s on one of these).
 */
const LONG = 64 * 1024;
const lines = [
  `com.apple.mgmt ${'.a'.repeat(LONG / 2)}`,
  'a'.repeat(LONG),
  `topic${' aaaa'.repeat(LONG / 5)}!`,
  `magic ${'0B9D6E24-'.repeat(LONG / 9)}`,
  `server: ${'topic=x '.repeat(LONG / 8)}`,
  'udid='.repeat(LONG / 5),
  '[x] '.repeat(LONG / 4),
  '-'.repeat(LONG),
];

describe('the value and answer-shape checks on 64 KB hostile lines', () => {
  it.each(lines.map((l) => [l.slice(0, 24), l]))('%s… returns', (_head, line) => {
    // No clock here: the suite's per-test timeout is the bound (backtracking took tens of seconds).
    parsePaste(line);
    lineShape(line);
    isHedged(line);
    sideOf(line);
    proseTime(line);
    isServerApi(line);
    isNoPushInfo(line);
    idOnLine(line);
    for (const kind of ['topic', 'magic', 'token', 'token_hash', 'udid'] as const) expect(judgeValue(kind, line).state).not.toBe('ok');
  });
});
