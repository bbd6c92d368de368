import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderText } from '../../src/report/render/index.js';
import { documentTitle } from '../../src/report/render/documents.js';
import type { Report } from '../../src/report/types.js';
import { summaryBlocks } from '../../src/slack/blocks/report.js';
import { CASES } from '../cases/support/cases.js';
import { argvOf, diagnose } from '../cases/support/run.js';
import { slackText } from './slackText.js';
import { shipped } from '../support/rules.js';

/**
 * Rules cite the documents they were written from by file name (the seed
 * files are named by a hash, the field notes by their path). A support
 * engineer reads "Apple TN2265: Troubleshooting Push Notifications", never
 * "001_54f3b2fbb8ee3380.txt" or "shared/knowledge/apns-mdm.md". The rule
 * ids and citations stay as they are; the names change when rendered.
 */

const FILE_NAMES = [
  { what: 'a seed file name', pattern: /\b\d{3}_[0-9a-f]{16}\.txt\b/g },
  { what: 'a document by its .md file name', pattern: /\b[\w-]+\.md\b/g },
  { what: 'a folder of the repository', pattern: /\bshared\/(?:seeds|knowledge)\b/g },
];

function fileNames(text: string): string[] {
  return FILE_NAMES.flatMap(({ what, pattern }) => [...text.matchAll(pattern)].map((m) => `${what}: ${m[0]}`));
}

/** Every way a report is shown to a person: the terminal and Markdown, in summary and in full, and the Slack summary. */
function renders(report: Report): Record<string, string> {
  return {
    text: renderText(report),
    'text --detail full': renderText(report, { detail: 'full' }),
    markdown: renderMarkdown(report),
    'markdown --detail full': renderMarkdown(report, { detail: 'full' }),
    slack: slackText(summaryBlocks(report, { key: 'C07SUPP0RT1:1763715600.000100' })),
  };
}

describe('every document a rule cites has a title a person would search for', () => {
  it.each(
    (() => {
      const rules = shipped();
      const docs = new Set<string>();
      for (const x of [...rules.causes, ...rules.rules, ...rules.questions, ...rules.advisories] as { source?: { document: string } }[])
        if (x.source) docs.add(x.source.document);
      return [...docs].sort().map((d) => [d]);
    })(),
  )('%s', (document) => {
    expect(fileNames(documentTitle(document))).toEqual([]);
  });
});

describe('the reports of the case battery name their sources by title', () => {
  it('across all the cases, in every rendering, no source is named by its file name, and the titles are there', async () => {
    const seen = new Set<string>();
    const found: string[] = [];
    for (const c of CASES) {
      const report = (await diagnose(argvOf(c))) as unknown as Report;
      for (const [how, text] of Object.entries(renders(report))) {
        for (const f of fileNames(text)) found.push(`${c.id} (${how}): ${f}`);
        for (const t of ['Apple DTS: MDM push returns 200 OK', 'Apple TN2265', 'Handling NotNow', 'Citrix CTX222834', 'pushcheck field notes on APNs and MDM'])
          if (text.includes(t)) seen.add(t);
      }
    }
    expect(found).toEqual([]);
    // The check looks at sources that are really shown: each document is named by its title somewhere.
    expect([...seen].sort()).toEqual([
      'Apple DTS: MDM push returns 200 OK',
      'Apple TN2265',
      'Citrix CTX222834',
      'Handling NotNow',
      'pushcheck field notes on APNs and MDM',
    ]);
  }, 120_000);
});
