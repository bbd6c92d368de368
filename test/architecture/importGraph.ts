import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The import graph of src/, read with the TypeScript compiler's own import
 * scanner (static, type-only, re-exports and dynamic imports alike), and the
 * walls between its folders checked against it.
 */

/** One import of a src file: the file it names, and whether only types cross (erased at run time). */
export interface Edge {
  to: string;
  typeOnly: boolean;
}

/** File (relative to src/, e.g. "slack/thread.ts") → the src files it imports. */
export type ImportGraph = Map<string, Edge[]>;

function sources(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) return sources(p);
      return n.endsWith('.ts') && !n.endsWith('.d.ts') ? [p] : [];
    });
}

/** "./x.js" from a .ts file names x.ts (NodeNext), or a folder's index.ts. */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined; // a package
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** Module specifiers of a file: import and export declarations, and import() calls anywhere. */
function specifiers(file: string): { spec: string; typeOnly: boolean }[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: { spec: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      out.push({ spec: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)) });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push({ spec: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export function importGraph(srcDir: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of sources(srcDir)) {
    const edges = new Map<string, boolean>();
    for (const { spec, typeOnly } of specifiers(file)) {
      const target = resolveImport(file, spec);
      if (!target) continue;
      const to = relative(srcDir, target);
      // A file imported both ways is a value import.
      edges.set(to, (edges.get(to) ?? true) && typeOnly);
    }
    graph.set(
      relative(srcDir, file),
      [...edges].map(([to, typeOnly]) => ({ to, typeOnly })).sort((a, b) => (a.to < b.to ? -1 : 1)),
    );
  }
  return graph;
}

/**
 * A wall: files matching `from` may import only what `only` allows (besides
 * their own area), or anything but what `never` names. Patterns are paths
 * under src/: "engine" (the folder), "report/types.ts" (one file),
 * "report/render" (a subfolder), "index.ts" (a top-level file).
 */
export interface Wall {
  from: string[];
  only?: string[];
  never?: string[];
  why: string;
}

export interface Crossing {
  file: string;
  imports: string;
  why: string;
}

/** The area of a file: its first folder under src/, or the file itself at the top. */
export function areaOf(file: string): string {
  const i = file.indexOf('/');
  return i < 0 ? file : file.slice(0, i);
}

function matches(file: string, pattern: string): boolean {
  return file === pattern || file.startsWith(`${pattern}/`);
}

export function crossings(graph: ImportGraph, walls: readonly Wall[]): Crossing[] {
  const out: Crossing[] = [];
  for (const [file, targets] of graph) {
    for (const wall of walls) {
      if (!wall.from.some((p) => matches(file, p))) continue;
      for (const { to: t } of targets) {
        if (areaOf(t) === areaOf(file)) continue;
        const blocked = (wall.only && !wall.only.some((p) => matches(t, p))) || wall.never?.some((p) => matches(t, p));
        if (blocked) out.push({ file, imports: t, why: wall.why });
      }
    }
  }
  return out;
}

/**
 * Every cycle of value imports, each once, as the files around it (first file
 * repeated at the end). Type-only imports are erased and cannot form one.
 */
export function cycles(graph: ImportGraph): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const { to: t, typeOnly } of graph.get(f) ?? []) {
      if (typeOnly) continue;
      if (state.get(t) === 'open') {
        const loop = stack.slice(stack.indexOf(t));
        // The same cycle reached from another file: keyed by its smallest rotation.
        const start = loop.indexOf([...loop].sort()[0]!);
        const canonical = [...loop.slice(start), ...loop.slice(0, start)];
        const key = canonical.join(' → ');
        if (!seen.has(key)) {
          seen.add(key);
          found.push([...canonical, canonical[0]!]);
        }
      } else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);
  return found;
}
