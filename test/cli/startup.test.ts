import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * A CLI run pays for every module it loads before it reads a byte. What a
 * command loads at start is the closure of static imports from its entry;
 * anything behind `import()` or a lazy require is loaded only by the runs
 * that need it (the OpenAI client for a polished draft, the PNG renderer
 * for --timeline, the YAML parser and zod when rule files changed since the
 * build validated them, Bolt and SQLite only for the bot).
 */

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Static value imports of a file: packages by name, src files by path. Type-only imports and import() are left out. */
function staticImports(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const node of sf.statements) {
    let spec: string | undefined;
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      if (!typeOnly) spec = node.moduleSpecifier.text;
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      if (!node.isTypeOnly && !(named && named.length > 0 && named.every((e) => e.isTypeOnly))) spec = node.moduleSpecifier.text;
    }
    if (!spec) continue;
    if (spec.startsWith('.')) {
      const base = resolve(dirname(file), spec);
      out.push(base.endsWith('.js') ? base.replace(/\.js$/, '.ts') : `${base}.ts`);
    } else if (!spec.startsWith('node:')) out.push(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return out;
}

/** Everything a module loads at start: src files (relative to src/) and packages. */
function loadedAtStart(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    const rel = relative(SRC, file);
    if (files.has(rel)) return;
    files.add(rel);
    for (const i of staticImports(file)) {
      if (i.endsWith('.ts')) visit(i);
      else packages.add(i);
    }
  };
  visit(resolve(SRC, entry));
  return { files, packages };
}

const BOT_AND_EXTRAS = [
  'openai',
  '@slack/bolt',
  '@slack/web-api',
  '@resvg/resvg-js',
  'better-sqlite3',
  'pino',
  'zod',
  'yaml',
  'mustache',
  'yauzl',
  'bplist-parser',
];

describe('what a CLI run loads before it starts work', () => {
  it('`pushcheck help` loads the argument parser and the help text, nothing else of pushcheck', () => {
    const { files, packages } = loadedAtStart('cli/main.ts');
    expect([...files].sort()).toEqual(['cli/args.ts', 'cli/help.ts', 'cli/main.ts']);
    expect([...packages]).toEqual([]);
  });

  it('`pushcheck diagnose` loads the readers, the engine and the renderers, but no model client, Slack, database, PNG renderer or rule validator', () => {
    const { files, packages } = loadedAtStart('cli/run.ts');
    expect(files.has('engine/diagnose.ts')).toBe(true);
    expect(files.has('evidence/read.ts')).toBe(true);
    expect([...files].filter((f) => f.startsWith('slack/') || f.startsWith('store/'))).toEqual([]);
    expect([...packages].filter((p) => BOT_AND_EXTRAS.includes(p))).toEqual([]);
  });
});
