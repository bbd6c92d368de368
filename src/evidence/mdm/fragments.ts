import { keyLines, looksLikePlist, parsePlist } from '../plist/index.js';
import { problemOf, type BufferReader, type ReadResult } from '../types.js';
import { Collector } from './emit.js';
import { pastedUnderCommand } from './plistReader.js';
import { readMdmPlist } from './route.js';

/**
 * Pieces of plists without their <plist> wrapper, as people paste them from
 * a blog, a server log or a chat: `<key>Status</key><string>Error</string>`.
 * Each run of lines between blank lines or `#` comments is one fragment,
 * wrapped in a dict and read like a whole plist.
 */
interface Chunk {
  text: string;
  line: number;
}

function chunksOf(text: string): Chunk[] {
  const out: Chunk[] = [];
  let cur: string[] = [];
  let start = 0;
  const lines = text.split('\n');
  const flush = () => {
    if (cur.length && cur.some((l) => l.includes('<'))) out.push({ text: cur.join('\n'), line: start });
    cur = [];
  };
  lines.forEach((raw, i) => {
    const l = raw.replace(/\r$/, '');
    if (!l.trim() || /^\s*(#|```|\/\/)/.test(l)) return flush();
    if (!cur.length) start = i + 1;
    cur.push(l);
  });
  flush();
  return out;
}

const wrap = (chunk: string) => (/^\s*<dict[\s>]/.test(chunk) ? `<plist version="1.0">${chunk}</plist>` : `<plist version="1.0"><dict>${chunk}</dict></plist>`);

export const mdmFragmentsReader: BufferReader = {
  id: 'mdm.plist_fragments',
  kind: 'buffer',
  accepts(_name, head, item) {
    // Fragments are pasted or saved by hand; archive members are whole files.
    if (item.member || looksLikePlist(head)) return false;
    // A whole plist under the command that printed it is the plist reader's.
    if (pastedUnderCommand(head)) return false;
    const h = head.toString('utf8');
    return /<key>[^<]{1,64}<\/key>/.test(h) || /^\s*<dict>/.test(h);
  },
  read(data, item, ctx): ReadResult {
    const res: ReadResult = { facts: [], problems: [] };
    const path = item.member ?? item.input;
    const chunks = chunksOf(data.toString('utf8').replace(/^\uFEFF/, ''));
    let read = 0;
    const failed: string[] = [];
    for (const c of chunks) {
      const wrapped = wrap(c.text);
      const parsed = parsePlist(Buffer.from(wrapped, 'utf8'), { maxObjects: ctx.limits.maxPlistObjects });
      if (!parsed.ok) {
        failed.push(`line ${c.line}: ${parsed.message}`);
        continue;
      }
      const out = new Collector({ item, lines: keyLines(wrapped, c.line - 1), line: c.line });
      if (readMdmPlist(parsed.value, path, out)) read++;
      res.facts.push(...out.facts);
      res.problems.push(...out.problems);
    }
    if (failed.length)
      res.problems.push(
        problemOf(
          item,
          'mdm.plist.fragment_unreadable',
          `holds plist fragments, not a whole plist; ${failed.length} of ${chunks.length} could not be read (${failed.slice(0, 3).join('; ')})`,
        ),
      );
    else if (!read && chunks.length)
      res.problems.push(
        problemOf(item, 'mdm.plist.fragments_unrecognised', `holds ${chunks.length} plist fragment(s), none of them an MDM check-in or command result`),
      );
    return res;
  },
};
