/**
 * The import graph of the whole repository has no cycle — type-only imports included.
 * ESLint's import-x/no-cycle skips `import type`, so a circle closed only by types (which
 * still couples every module on it: change one, re-check all) would pass lint. This test
 * reads every import, export-from and dynamic import with the TypeScript scanner, resolves
 * the relative ones to files and fails naming each strongly connected component.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const FOLDERS = ['protocol', 'handset', 'platform', 'main', 'preload', 'renderer', 'db'];
const MORE_FOLDERS = ['scripts', 'bench', 'test'];
const SKIPPED = new Set(['node_modules', 'out', 'dist', 'coverage', 'vectors', 'fixtures']);
const SOURCE = /\.(ts|tsx|mts|cts)$/;

function sourceFiles(folder: string): string[] {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const compilerOptions: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: true,
  resolveJsonModule: true,
};

/** Every file of ours the module at `file` imports (types, re-exports and import() too). */
function importsOf(file: string): string[] {
  const text = ts.sys.readFile(file) ?? '';
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const targets = new Set<string>();
  for (const { fileName: specifier } of importedFiles) {
    if (!specifier.startsWith('.')) continue;
    // Stylesheets and images are bundler assets, not modules: they close no cycle.
    if (/\.(css|svg|png|jpe?g|woff2?)$/.test(specifier)) continue;
    const resolved = ts.resolveModuleName(specifier, file, compilerOptions, ts.sys).resolvedModule
      ?.resolvedFileName;
    if (resolved === undefined) throw new Error(`${rel(file)}: cannot resolve '${specifier}'`);
    if (SOURCE.test(resolved) && !resolved.includes('node_modules')) targets.add(resolve(resolved));
  }
  return [...targets];
}

function rel(file: string): string {
  return relative(ROOT, file);
}

/** Tarjan's strongly connected components with more than one file, or a self-import. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;

  // Iterative, so a deep import chain cannot overflow the call stack.
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const target = edges[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || edges.includes(frame.node)) found.push(component.sort());
    }
  }
  return found;
}

/** One shortest circle through `from` inside its component, to show how it closes. */
function circleThrough(
  from: string,
  component: ReadonlySet<string>,
  graph: ReadonlyMap<string, readonly string[]>,
): string[] {
  const previous = new Map<string, string>();
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next)) continue;
      if (next === from) {
        const path = [node];
        while (path[0] !== from) path.unshift(previous.get(path[0]!)!);
        return [...path, from];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [from];
}

/** Every file `from` reaches through imports of any kind. */
function reach(from: string, graph: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set([from]);
  for (const file of seen) for (const next of graph.get(file) ?? []) seen.add(next);
  return seen;
}

function importGraph(): Map<string, string[]> {
  const files = [...FOLDERS, ...MORE_FOLDERS].flatMap((f) => sourceFiles(join(ROOT, f)));
  files.push(...sourceFiles(ROOT).filter((f) => !f.includes('/', ROOT.length + 1)));
  return new Map(files.map((file) => [file, importsOf(file)]));
}

describe('import graph', () => {
  it('finds a cycle closed only by a type import', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts', 'd.ts']],
      ['e.ts', []],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  });

  it('reads type-only imports and re-exports', () => {
    const { importedFiles } = ts.preProcessFile(
      "import type { A } from './a';\nexport type { B } from './b';\nexport * from './c';\nconst d = await import('./d');",
      true,
      true,
    );
    expect(importedFiles.map((f) => f.fileName)).toEqual(['./a', './b', './c', './d']);
  });

  it('has no cycle in the whole tree, type imports included', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    const report = cycles(graph).map((component) => {
      const members = new Set(component);
      const circle = circleThrough(component[0]!, members, graph).map(rel).join(' → ');
      return `${component.length} files: ${component.map(rel).join(', ')}\n  e.g. ${circle}`;
    });
    expect(report).toEqual([]);
  });

  it("keeps each unit's callable surface clear of descriptors, the app and the CLI", () => {
    const graph = importGraph();
    const surfaces = [...graph.keys()].filter((f) =>
      /^platform\/[a-z-]+\/surface\.ts$/.test(rel(f)),
    );
    expect(surfaces.length).toBeGreaterThan(5);
    // Above the surfaces: unit descriptors (index.ts, commands, routes), the unit list,
    // the app and its composition, the operator CLI.
    const above =
      /^platform\/(app|units|unit|start|server|embedded)\.ts$|^platform\/cli\/|^platform\/[a-z-]+\/(index|commands|routes)\.ts$/;
    const reached = surfaces.flatMap((surface) =>
      [...reach(surface, graph)]
        .map(rel)
        .filter((file) => above.test(file))
        .map((file) => `${rel(surface)} reaches ${file}`),
    );
    expect(reached).toEqual([]);
  });
});
