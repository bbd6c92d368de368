import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The literal text each reader's regular expressions look for, taken from
 * the source at test time, so a reader added later is covered without
 * anyone listing its patterns here.
 */

export const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

export interface Pattern {
  file: string;
  source: string;
}

const parsed = new Map<string, Pattern[]>();

/** Regex literals and the string parts of `new RegExp(...)` / `RegExp(...)` arguments in one file. */
export function patternsIn(file: string): Pattern[] {
  let out = parsed.get(file);
  if (!out) parsed.set(file, (out = parsePatterns(file)));
  return out;
}

function parsePatterns(file: string): Pattern[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: Pattern[] = [];
  const rel = relative(SRC, file);
  const stringParts = (n: ts.Node): string[] => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return [n.text];
    if (ts.isTemplateExpression(n)) return [n.head.text, ...n.templateSpans.map((s) => s.literal.text)];
    if (ts.isTaggedTemplateExpression(n)) return stringParts(n.template).map((s) => s); // String.raw: cooked ≈ raw for patterns without escapes
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) return [...stringParts(n.left), ...stringParts(n.right)];
    return [];
  };
  const visit = (n: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(n)) {
      const t = n.text;
      out.push({ file: rel, source: t.slice(1, t.lastIndexOf('/')) });
    } else if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp' && n.arguments?.length) {
      const arg = n.arguments[0]!;
      // String.raw keeps backslashes as written: read the raw text so "\d" stays a class.
      const parts = ts.isTaggedTemplateExpression(arg) ? rawParts(arg.template, text) : stringParts(arg);
      for (const p of parts) if (p) out.push({ file: rel, source: p });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function rawParts(t: ts.TemplateLiteral, text: string): string[] {
  const raw = (n: ts.Node, open: number, close: number) => text.slice(n.getStart() + open, n.getEnd() - close);
  if (ts.isNoSubstitutionTemplateLiteral(t)) return [raw(t, 1, 1)];
  return [raw(t.head, 1, 2), ...t.templateSpans.map((s, i) => raw(s.literal, 1, i === t.templateSpans.length - 1 ? 1 : 2))];
}

/** Relative imports of a file that stay under src/. */
function importsOf(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const out: string[] = [];
  for (const st of sf.statements) {
    if ((ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      const spec = st.moduleSpecifier.text;
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (target.startsWith(SRC)) out.push(target);
    }
  }
  return out;
}

function tsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFilesUnder(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/**
 * The source files behind a reader: its domain's folder (the part of its id
 * before the first dot names it, e.g. "apns.responses" → src/evidence/apns)
 * and everything those files import from src/. A reader whose id names no
 * folder gets every evidence file.
 */
export function filesOfReader(id: string): string[] {
  const domain = join(SRC, 'evidence', id.split('.')[0]!);
  let roots: string[];
  try {
    roots = tsFilesUnder(domain);
  } catch {
    roots = tsFilesUnder(join(SRC, 'evidence'));
  }
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const g of importsOf(f)) stack.push(g);
  }
  return [...seen].sort();
}

/** A character a class such as [A-Za-z0-9] or [^\s] matches (or, for negated classes, one it does not exclude). */
function classSample(body: string): string {
  const negated = body.startsWith('^');
  const inner = negated ? body.slice(1) : body;
  if (negated) {
    for (const c of ['a', '0', ' ', '"', '\\', ':', '.']) if (!classHolds(inner, c)) return c;
    return 'z';
  }
  if (inner.startsWith('\\')) return escapeSample(inner[1] ?? '') ?? inner[1] ?? 'a';
  return inner[0] ?? 'a';
}

/** Rough: whether a (non-negated) class body lists c; good enough to pick a sample. */
function classHolds(body: string, c: string): boolean {
  if (body.includes(c)) return true;
  if (/\\s/.test(body) && /\s/.test(c)) return true;
  if (/\\d|0-9/.test(body) && /\d/.test(c)) return true;
  if (/\\w|a-z/.test(body) && /[a-z]/.test(c)) return true;
  return false;
}

function escapeSample(c: string): string | undefined {
  switch (c) {
    case 'd':
      return '7';
    case 'w':
    case 'D':
    case 'S':
      return 'a';
    case 's':
    case 'W':
      return ' ';
    case 't':
      return '\t';
    case 'b':
    case 'B':
      return '';
    default:
      return undefined;
  }
}

/**
 * Strings a pattern's branches read as: each top-level or nested
 * alternative becomes one sample in which every class is replaced by one
 * character it matches and quantifiers keep one copy. "status(?:[ _-]?code)?
 * [:=]\s*(\d{3})" gives "status code: 777".
 */
export function samplesOf(source: string): string[] {
  const out: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur.trim()) out.push(cur);
    cur = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[++i] ?? '';
      if (n === 'x') {
        cur += String.fromCharCode(parseInt(source.slice(i + 1, i + 3), 16) || 0x61);
        i += 2;
      } else if (n === 'u') {
        const braced = source[i + 1] === '{';
        const hex = braced ? source.slice(i + 2, source.indexOf('}', i)) : source.slice(i + 1, i + 5);
        cur += String.fromCodePoint(parseInt(hex, 16) || 0x61);
        i += braced ? hex.length + 2 : 4;
      } else if (/[1-9]/.test(n)) {
        // back-reference: nothing to add
      } else if (n === 'n' || n === 'r') {
        flush();
      } else cur += escapeSample(n) ?? n;
    } else if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      cur += classSample(source.slice(i + 1, j));
      i = j;
    } else if (c === '(') {
      if (source[i + 1] === '?') {
        const m = /^\(\?(?:<[A-Za-z_$][\w$]*>|<=|<!|[:=!])/.exec(source.slice(i));
        if (m) i += m[0].length - 1;
      }
    } else if (c === '|') {
      flush();
    } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(i))) {
      i = source.indexOf('}', i);
    } else if (c === ')' || c === '*' || c === '+' || c === '?' || c === '^' || c === '$') {
      // structure only
    } else if (c === '.') cur += 'a';
    else cur += c;
  }
  flush();
  return out;
}

/** The samples of every pattern in a reader's files, shortest form, deduplicated, in a fixed order. */
export function fragmentsOfReader(id: string): string[] {
  const set = new Set<string>();
  for (const f of filesOfReader(id)) for (const p of patternsIn(f)) for (const s of samplesOf(p.source)) set.add(s);
  return [...set].sort();
}
