import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allFactDefinitions } from '../../src/facts/catalog/index.js';
import { cli } from '../cli/helpers.js';
import { buildCases } from '../render/cases.js';
import { shipped } from '../support/rules.js';
import { APP_CHECKED_ANSWERS, file, nanoLib, TOPIC, UDID_A } from '../verdicts/evidence.js';

/**
 * Scripts and `--answer` name causes, questions, notes and facts by id, and
 * read the JSON report by key: both are a public contract. Ids and keys are
 * added, never renamed or removed. The committed lists beside this file are
 * that contract; a test that fails here means either something a user relies
 * on went away (put it back), or something new was added (list it:
 * PUSHCHECK_UPDATE_CONTRACT=1 npx vitest run test/contract appends new
 * entries and never removes one).
 */

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const UPDATE = process.env.PUSHCHECK_UPDATE_CONTRACT === '1';

function listed(file: string): string[] {
  const path = join(HERE, file);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Appends what is new (update mode only): the list only ever grows. */
function append(file: string, header: string, added: string[]): void {
  const all = [...new Set([...listed(file), ...added])].sort();
  writeFileSync(join(HERE, file), `${header}\n${all.join('\n')}\n`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Notes and questions the code builds itself, not from rules/ (e.g. the "collect before filing" note). */
function idsMadeInCode(): string[] {
  const out: string[] = [];
  for (const f of sourceFiles(SRC))
    for (const m of readFileSync(f, 'utf8').matchAll(/\bid:\s*['"`]((?:[a-z_]+\.note|q)\.[a-z_]+(?:\.[a-z_]+)*)['"`]/g))
      out.push(`${m[1].startsWith('q.') ? 'question' : 'note'} ${m[1]}`);
  return out;
}

/** Every id the product can put in a report or take in an answer, as "<kind> <id>". */
function productIds(): string[] {
  const rules = shipped();
  return [
    ...new Set([
      ...rules.causes.map((c) => `cause ${c.id}`),
      ...rules.questions.map((q) => `question ${q.id}`),
      // What `--answer q.…=<value>` and the Slack buttons send for a choice question.
      ...rules.questions.flatMap((q) => (q.type === 'choice' ? (q.options ?? []).map((o) => `answer ${q.id}=${o.value}`) : [])),
      // The Feedback checklist's items, by id in the JSON report (filing.checklist[].id).
      ...(rules.escalation?.checklist ?? []).map((c) => `checklist ${c.id}`),
      ...rules.advisories.map((a) => `note ${a.id}`),
      ...idsMadeInCode(),
      ...allFactDefinitions.map((d) => `fact ${d.name}`),
    ]),
  ].sort();
}

const IDS_HEADER =
  '# Cause, question, note, fact and checklist ids and choice answers the product emits or takes: a public contract. Add lines; never rename or remove one.';

describe('ids are a contract: added, never renamed or removed', () => {
  const now = productIds();
  const contract = listed('ids.txt');

  it('the product still emits every id in test/contract/ids.txt', () => {
    const gone = contract.filter((id) => !now.includes(id));
    expect(
      gone,
      `These ids are gone from the product. Ids are added, never renamed or removed: bring each back (a renamed one under its old id too).\n${gone.join('\n')}`,
    ).toEqual([]);
  });

  it('every id the product emits is in test/contract/ids.txt', () => {
    const added = now.filter((id) => !contract.includes(id));
    if (UPDATE && added.length) append('ids.txt', IDS_HEADER, added);
    else
      expect(
        added,
        `New ids: add each to test/contract/ids.txt (or run PUSHCHECK_UPDATE_CONTRACT=1 npx vitest run test/contract), so that removing it later fails here.\n${added.join('\n')}`,
      ).toEqual([]);
  });

  it('holds the ids scripts use today, among them ids made in code', () => {
    // A few that answers, scripts and the README name; the list above must never lose them.
    for (const id of [
      'cause mdm.wrong_magic',
      'question q.case.domain',
      'question q.case.device',
      'question q.case.log_time_zone',
      'note case.note.several_devices',
      'note case.note.collect_before_filing',
      'note mdm.note.push_answered',
    ])
      expect(contract).toContain(id);
  });
});

/** Key paths of a JSON value: arrays as "[]", a condition trace's nesting folded, attribute maps as one key. */
function keyPaths(value: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      out.add(`${path}[]`);
      for (const x of v) walk(x, `${path}[]`);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const p = `${path}.${k}`.replace(/(\.children\[\])+/g, '.children[]').replace(/\.children\[\]\.children$/, '.children');
        out.add(p);
        // attrs are facts' own attributes: their names vary with the evidence, not the report's shape.
        if (k !== 'attrs') walk(x, p);
      }
    }
  };
  walk(value, '');
  return [...out].sort();
}

const KEYS_HEADER = '# Key paths of the JSON report (schemaVersion 1) over the representative cases in test/render/cases.ts. Additions only.';

describe('the JSON report (schemaVersion 1) changes only by additions', () => {
  const cases = buildCases().map((c) => [
    ...c.paths,
    ...(c.paste ? ['--paste', c.paste] : []),
    ...Object.entries(c.answers ?? {}).flatMap(([q, v]) => ['--answer', `${q}=${v}`]),
  ]);
  // Keys only some reports have, which none of the representative cases reach.
  // An accepted push the device never shows, every app cause checked, beside an MDM push the device answered:
  // the app case goes to Apple and the MDM one is held back (filing.heldBack).
  cases.push(mdmAnsweredBesideFailingApp(true), mdmAnsweredBesideFailingApp(false), mdmAnsweredBesideFailingApp(true, false));

  it('keeps every key path in test/contract/report-keys.txt, over the representative cases', async () => {
    const seen = new Set<string>();
    for (const c of cases) {
      const argv = ['diagnose', ...c, '--format', 'json'];
      const r = await cli(...argv);
      expect(r.code, r.err).toBe(0);
      const report = JSON.parse(r.out);
      expect(report.schemaVersion).toBe(1);
      for (const p of keyPaths(report)) seen.add(p);
    }
    const contract = listed('report-keys.txt');
    const gone = contract.filter((p) => !seen.has(p));
    expect(gone, `These keys are gone from the JSON report. schemaVersion 1 changes only by additions: bring each back.\n${gone.join('\n')}`).toEqual([]);
    const added = [...seen].filter((p) => !contract.includes(p)).sort();
    if (UPDATE && added.length) append('report-keys.txt', KEYS_HEADER, added);
    else
      expect(
        added,
        `New keys in the JSON report: add each to test/contract/report-keys.txt (or run PUSHCHECK_UPDATE_CONTRACT=1 npx vitest run test/contract).\n${added.join('\n')}`,
      ).toEqual([]);
  }, 120_000);

  it('reads key paths as a script would: a key that disappears is caught', () => {
    const before = keyPaths({
      schemaVersion: 1,
      causes: [{ id: 'x', status: 'open', rules: [{ trace: { children: [{ children: [{ says: 'a' }] }] } }] }],
      facts: [{ fact: 'f', attrs: { zone: 'unknown' } }],
    });
    expect(before).toEqual([
      '.causes',
      '.causes[]',
      '.causes[].id',
      '.causes[].rules',
      '.causes[].rules[]',
      '.causes[].rules[].trace',
      '.causes[].rules[].trace.children',
      '.causes[].rules[].trace.children[]',
      '.causes[].rules[].trace.children[].says',
      '.causes[].status',
      '.facts',
      '.facts[]',
      '.facts[].attrs',
      '.facts[].fact',
      '.schemaVersion',
    ]);
    const after = keyPaths({ schemaVersion: 1, causes: [{ id: 'x', rules: [] }], facts: [] });
    expect(before.filter((p) => !after.includes(p))).toContain('.causes[].status');
  });
});

/**
 * An MDM push the device answered beside an app whose every cause is ruled out and whose pushes
 * failed: the app goes to Apple, the MDM side is held back (`filing.heldBack`). With only the
 * app's BadDeviceToken on record, a question is what to do next (`nextAction.question`).
 */
function mdmAnsweredBesideFailingApp(laterAccepted: boolean, refused = true): string[] {
  const server = file(
    'nanomdm.log',
    `${[
      nanoLib('2026-11-20T10:00:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`),
      nanoLib('2026-11-20T10:00:00', `level=debug handler=push msg=push count=1 errs=0 id_count=1 id_first=${UDID_A}`),
      nanoLib('2026-11-20T10:00:01', `level=info service=nanomdm status=Idle id=${UDID_A} type=Device`),
    ].join('\n')}\n`,
  );
  const provider = file(
    'provider.log',
    `${[
      ...(refused
        ? ['2026-11-20T09:40:03.552Z WARN  apns: push failed: 400 BadDeviceToken apns-id=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d apns-topic=com.example.demo']
        : []),
      ...(laterAccepted
        ? ['2026-11-20T10:05:01.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c apns-topic=com.example.demo apns-push-type=alert status=200']
        : []),
    ].join('\n')}\n`,
  );
  const entitlements = fileURLToPath(new URL('../fixtures/apns/codesign_dict_production.txt', import.meta.url));
  return [server, provider, entitlements, ...APP_CHECKED_ANSWERS];
}
