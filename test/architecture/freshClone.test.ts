import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { configDefaults } from 'vitest/config';
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config.js';

/**
 * A fresh clone has nothing beside it: `npm test` must pass without
 * ../shared (issue 10 item 1). The files written by others are read only by
 * the suite of their own (`npm run test:realworld`, test/realworld/).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TEST = join(ROOT, 'test');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(?:ts|mts|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** What a string in code may say to reach the folder beside the repository. */
const SHARED_PATH = /(?:^|\/)\.\.\/shared(?:\/|$)|(?:^|\/)shared\/(?:realworld|seeds|knowledge|bench)\b/;

/**
 * How a file reaches ../shared or the real-world suite, read off its syntax
 * tree: string literals and templates, `'..', 'shared'` path segments, the
 * PUSHCHECK_REALWORLD variable, imports from test/realworld. Comments are no use.
 */
function readsShared(source: string): string | undefined {
  const sf = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isStringLiteralLike(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) {
      if (SHARED_PATH.test(n.text)) found = `path "${n.text}"`;
      else if (n.text.includes('PUSHCHECK_REALWORLD')) found = 'PUSHCHECK_REALWORLD';
      else if ((ts.isImportDeclaration(n.parent) || ts.isExportDeclaration(n.parent) || ts.isCallExpression(n.parent)) && /(?:^|\/)realworld\//.test(n.text))
        found = `import of "${n.text}"`;
    } else if (ts.isIdentifier(n) && n.text === 'PUSHCHECK_REALWORLD') found = 'PUSHCHECK_REALWORLD';
    else if (ts.isCallExpression(n)) {
      const args = n.arguments.map((a) => (ts.isStringLiteralLike(a) ? a.text : undefined));
      if (args.some((a, i) => a === '..' && args[i + 1] === 'shared')) found = "path segments '..', 'shared'";
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** This file holds examples of what the scan catches. */
const SELF = 'architecture/freshClone.test.ts';

describe('npm test passes on a fresh clone, with nothing beside it', () => {
  it('no test outside test/realworld reads ../shared or leans on the real-world suite', () => {
    const offenders = files(TEST)
      .filter((f) => !relative(TEST, f).startsWith('realworld/') && relative(TEST, f) !== SELF)
      .flatMap((f) => {
        const how = readsShared(readFileSync(f, 'utf8'));
        return how ? [`${relative(ROOT, f)} (${how})`] : [];
      });
    expect(offenders).toEqual([]);
  });

  it('the scan finds the real-world suite reading ../shared, and ignores a comment naming it', () => {
    expect(readsShared(readFileSync(join(TEST, 'realworld/files.ts'), 'utf8'))).toBeDefined();
    expect(readsShared("const dir = join(here, '..', 'shared', 'seeds');")).toBeDefined();
    expect(readsShared("import { REALWORLD_DIR } from '../realworld/files.js';")).toBeDefined();
    expect(readsShared("const root = process.env.PUSHCHECK_REALWORLD ?? 'x';")).toBeDefined();
    expect(readsShared("// The values of nanomdm's test data (shared/realworld), as people paste them.\nconst x = 1;")).toBeUndefined();
    expect(readsShared(readFileSync(join(TEST, 'paste/paste.test.ts'), 'utf8'))).toBeUndefined();
  });

  it("vitest's config for npm test leaves test/realworld out, and the real-world suite has its own", () => {
    const test = (config as { test?: { include?: string[]; exclude?: string[] } }).test;
    expect(test?.exclude).toContain('test/realworld/**');
    expect(test?.exclude).toEqual(expect.arrayContaining(configDefaults.exclude));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).not.toMatch(/realworld/);
    expect(pkg.scripts['test:realworld']).toMatch(/test\/realworld\/vitest\.config\.ts/);
  });
});
