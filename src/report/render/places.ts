import type { Source } from '../../facts/schema.js';
import { formatTime, humanizeTimes, isIsoTime } from '../time.js';
import type { Report } from '../types.js';
import { messageWords } from './messages.js';
import { scrubIds } from './words.js';

/**
 * How a rendering names people and inputs. The report layer knows nothing
 * of Slack: the Slack layer passes mentions in. A chat message given as
 * evidence is named by its time unless the caller names it better.
 */
export interface WordsOptions {
  /** A person who answered (a Slack user id, "cli", "terminal") in words, or undefined for the default words ("on the command line") or none. */
  person?: (id: string) => string | undefined;
  /** An input's name in words when the caller knows better than its label (a Slack message). */
  inputName?: (input: string) => string | undefined;
}

const basename = (p: string) => p.replace(/[\\/]+$/, '').replace(/^.*[\\/]/, '') || p;

/** A sysdiagnose's members all sit under one folder named after it: paths are shown from inside it. */
const TOP_FOLDER = /^(?:\.\/)?sysdiagnose_[^/]+\//;

/**
 * Names the places evidence came from, each archive once: its members by
 * their path inside it, files by their name (the whole path only when two
 * inputs share a name), pastes by their label, answers by who and when.
 */
export class Places {
  private readonly names = new Map<string, string>();
  /** Labels of pastes (a flag, a chat message), longest first: sentences cite them as "label (line N)". */
  private readonly pastes: string[];
  private readonly archives: string[];

  constructor(
    report: Pick<Report, 'facts' | 'problems'>,
    private readonly opts: WordsOptions = {},
  ) {
    const files = new Set<string>();
    const archives = new Set<string>();
    const pastes = new Set<string>();
    for (const f of report.facts) {
      if (f.origin.kind === 'pasted') pastes.add(f.origin.input);
      if (f.origin.kind !== 'file') continue;
      files.add(f.origin.input);
      if (f.origin.member) archives.add(f.origin.input);
    }
    for (const p of report.problems) if (p.member) archives.add(p.input);
    const byBase = new Map<string, string[]>();
    for (const f of files) byBase.set(basename(f), [...(byBase.get(basename(f)) ?? []), f]);
    for (const [base, all] of byBase) for (const f of all) this.names.set(f, all.length > 1 ? f : base);
    this.archives = [...archives].sort();
    this.pastes = [...pastes].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  }

  /** Whether the caller named this input (a Slack message): its line numbers say nothing to a reader. */
  named(input: string): boolean {
    return this.opts.inputName?.(input) !== undefined || messageWords(input) !== undefined;
  }

  /** An input (file or paste) by name. */
  input(input: string): string {
    const given = this.opts.inputName?.(input);
    if (given !== undefined) return given;
    const file = this.names.get(input);
    if (file) return file;
    if (input === '--paste' || /^--paste \d+$/.test(input)) return `pasted text (${input})`;
    if (input === '/pushcheck') return 'the /pushcheck command';
    const message = messageWords(input);
    if (message) return message;
    // A --paste-file path: its name, as for files.
    return /[\\/]/.test(input) && !/\s/.test(input) ? basename(input) : input;
  }

  /** An archive member: its path inside the archive (the archive itself is named once, in the inputs line). */
  member(input: string, member: string): string {
    const inside = member.replace(TOP_FOLDER, '');
    return this.archives.length > 1 ? `${this.input(input)} › ${inside}` : inside;
  }

  /** The archives read, each named once. */
  archiveNames(): string[] {
    return this.archives.map((a) => this.input(a));
  }

  who(by: string | undefined): string | undefined {
    if (!by) return undefined;
    const p = this.opts.person?.(by);
    if (p) return `by ${p}`;
    if (by === 'cli') return 'on the command line';
    if (by === 'terminal') return 'at the terminal';
    return undefined;
  }

  /** Where an observation came from, without its line: "logs/MCState/Shared/MDM.plist", "answered by @ann at …". */
  container(origin: Source): string {
    switch (origin.kind) {
      case 'file':
        return origin.member ? this.member(origin.input, origin.member) : this.input(origin.input);
      case 'pasted':
        return this.input(origin.input);
      case 'answer': {
        const who = this.who(origin.by);
        return ['answered', who, origin.at && isIsoTime(origin.at) ? `at ${formatTime(origin.at)}` : undefined].filter(Boolean).join(' ');
      }
      case 'derived':
        return this.inWords(origin.how);
    }
  }

  /**
   * A sentence written by a reader or a derivation ("the device polled
   * again at /path/bundle.log:4 (2024-03-04T10:01:15.900Z)…") with inputs
   * by their names, times in people's form and no internal ids.
   */
  inWords(text: string): string {
    // A source described inside a sentence or an attribute: "answer to q.mdm.push_status by U123 at 2025-…Z".
    let out = text.replace(/answer to q\.[a-z0-9_.]+(?: by (\S+))?(?: at (\S+?))?(?=[),;]|\s|$)/g, (_m, by: string | undefined, at: string | undefined) =>
      ['answered', this.who(by), at && isIsoTime(at) ? `at ${formatTime(at)}` : undefined].filter(Boolean).join(' '),
    );
    // An archive's member as describeSource writes it ("bundle.tar.gz › logs/x.log:88"): by its path inside the archive.
    for (const archive of [...this.archives].sort((a, b) => b.length - a.length)) {
      out = out.split(`${archive} › `).reduce((acc, part) => {
        const m = /^(\S+?)(?::(\d+))?(?=[\s),;]|$)/.exec(part);
        return m ? `${acc}${this.member(archive, m[1]!)}${m[2] ? ` line ${m[2]}` : ''}${part.slice(m[0].length)}` : `${acc}${archive} › ${part}`;
      });
    }
    // Longest first, so a path is replaced before a shorter path inside it.
    for (const input of [...this.names.keys()].sort((a, b) => b.length - a.length))
      if (input !== this.names.get(input)) out = out.split(input).join(this.names.get(input)!);
    // A paste cited as describeSource writes it ("--paste 2 (line 1)"): by its name, its line only where the name does not already place it.
    for (const label of this.pastes) {
      const name = this.input(label);
      if (name === label) continue;
      out = out.split(label).reduce((acc, part) => {
        const line = /^ \(line (\d+)\)/.exec(part);
        return `${acc}${name}${line && !this.named(label) ? ` line ${line[1]}` : ''}${line ? part.slice(line[0].length) : part}`;
      });
    }
    out = out.replace(/([^\s(]+?):(\d+)\b(?=[\s),;]|$)/g, (m, file: string, line: string) =>
      [...this.names.values()].includes(file) ? `${file} line ${line}` : m,
    );
    return humanizeTimes(scrubIds(out));
  }

  /** The inputs of the case in words, archives marked: for the line under the headline. */
  inputsLine(report: Pick<Report, 'facts' | 'problems'>): string | undefined {
    const seen = new Map<string, string>();
    const add = (key: string, words: string) => seen.has(key) || seen.set(key, words);
    for (const f of report.facts) {
      if (f.origin.kind === 'file')
        add(f.origin.input, this.archives.includes(f.origin.input) ? `${this.input(f.origin.input)} (archive)` : this.input(f.origin.input));
      if (f.origin.kind === 'pasted') add(`paste:${f.origin.input}`, this.input(f.origin.input));
    }
    for (const p of report.problems) if (!p.input.startsWith('answer ')) add(p.input, this.input(p.input));
    const all = [...new Set(seen.values())];
    if (all.length === 0) return undefined;
    const shown = all.slice(0, 6);
    return `${shown.join(', ')}${all.length > shown.length ? ` and ${all.length - shown.length} more` : ''}`;
  }
}
