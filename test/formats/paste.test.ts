import { describe, expect, it } from 'vitest';
import { readPaste, type Fact } from '../../src/index.js';
import { ctxWith } from '../archive/support.js';
import { SAMPLES, SHAPES } from './corpus.js';

/**
 * An engineer pastes into the Slack thread what `docker logs`, `journalctl -o json` or `kubectl logs
 * --timestamps` printed, or rows copied from a CloudWatch export: the lines read are the server's own,
 * as when the plain log is pasted.
 */
const weighed = (facts: Fact[]) => facts.map(({ source: _source, ...f }) => JSON.stringify(f)).sort();

const TEXT_FORMS = [
  'Docker json-file log (the line keeps its own ts)',
  'Docker json-file log (only Docker dates the line)',
  'journalctl -o json',
  'journalctl -o json-pretty',
  'kubectl logs --timestamps',
  'CloudWatch Logs Insights CSV export',
  'Graylog CSV export',
];

describe('a server log pasted as the collector printed it', () => {
  it.each(TEXT_FORMS)('%s gives the facts of the plain lines pasted', async (name) => {
    const shape = SHAPES.find((s) => s.name === name)!;
    const [made] = shape.make(SAMPLES.server);
    const plain = await readPaste(SAMPLES.server.plain, 'pasted text', ctxWith());
    expect(plain.facts.length).toBeGreaterThan(0);
    const got = await readPaste(made!.data.toString('utf8'), 'pasted text', ctxWith());
    expect(weighed(got.facts)).toEqual(weighed(plain.facts));
    expect(got.problems).toEqual(plain.problems);
  });
});
