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
  'Kibana CSV export (its date format, quoted message)',
  'Kibana CSV export of an ECS index (event.original beside a cut message)',
  'Elasticsearch _search answer (hits, pretty-printed)',
  'elasticdump NDJSON (a hit a line, _source inside)',
  'Filebeat NDJSON (ECS fields, log.original)',
  'Splunk CSV export (_time, _raw)',
  'Splunk JSON export (a result a line)',
  'Datadog Logs API answer (data[].attributes, pretty-printed)',
  'syslog file (RFC 3164: journalctl, rsyslog traditional format)',
  'syslog as received (RFC 3164 with its <PRI>)',
  'syslog RFC 5424 (only syslog dates the line)',
  'syslog RFC 5424 with structured data (the line keeps its own ts)',
  'rsyslog high-precision file format (only syslog dates the line)',
  'journalctl -o short-iso (only journald dates the line)',
];

/** Each fact with the line it names, the plain paste's placed as the form places its lines. */
const placed = (facts: Fact[], lineOf: (n: number) => number = (n) => n) =>
  facts
    .map(({ source, ...f }) => `${(source as { line?: number }).line === undefined ? '-' : lineOf((source as { line: number }).line)} ${JSON.stringify(f)}`)
    .sort();

describe('a server log pasted as the collector printed it', () => {
  it.each(TEXT_FORMS)('%s gives the facts of the plain lines pasted', async (name) => {
    const shape = SHAPES.find((s) => s.name === name)!;
    const [made] = shape.make(SAMPLES.server);
    const plain = await readPaste(SAMPLES.server.plain, 'pasted text', ctxWith());
    expect(plain.facts.length).toBeGreaterThan(0);
    const got = await readPaste(made!.data.toString('utf8'), 'pasted text', ctxWith());
    expect(weighed(got.facts)).toEqual(weighed(plain.facts));
    expect(got.problems).toEqual(plain.problems);
    // Each names the line of the paste its record starts at.
    const text = made!.data.toString('utf8');
    if (shape.lineOf) expect(placed(got.facts)).toEqual(placed(plain.facts, (n) => shape.lineOf!(n, text)));
  });
});
