/**
 * The import graph of ringmon's own source: every .ts/.mjs file under the
 * given roots, and for each the files of this tree it imports (static,
 * type-only, re-exports and dynamic `import()` alike: a type import is a
 * dependency of the design even when it costs nothing at run time).
 * Imports of packages are left out, except the package's own
 * `ringmon/...` exports, which resolve to their files.
 *
 * Reads files only; throws nothing for a broken import (it is reported as
 * unresolved, for the caller to judge).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportGraph {
  /** Repository-relative paths with '/' separators, sorted. */
  readonly files: readonly string[];
  /** For each file, the files it imports (repository-relative). */
  readonly edges: ReadonlyMap<string, readonly string[]>;
  /** Relative imports that name no file: `from → specifier`. */
  readonly unresolved: readonly string[];
}

const SOURCE = /\.(ts|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git']);

function listSources(root: string, dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listSources(root, path, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(toKey(root, path));
  }
}

function toKey(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

/** The package's `exports` map, so `ringmon/slurper` resolves to its file like any relative import. */
function packageExports(root: string): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports?: Record<string, string> };
  const map = new Map<string, string>();
  for (const [key, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target === 'string' && SOURCE.test(target)) map.set(`${pkg.name}${key.slice(1)}`, target.replace(/^\.\//, ''));
  }
  return map;
}

/** `./x.js` → `x.ts` (NodeNext writes the emitted name); a missing file gives undefined. */
function resolveRelative(root: string, from: string, specifier: string): string | undefined {
  const base = resolve(root, dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return hit === undefined ? undefined : toKey(root, hit);
}

/** Builds the graph of the sources under `roots` (folders relative to `root`). */
export function buildImportGraph(root: string, roots: readonly string[]): ImportGraph {
  const files: string[] = [];
  for (const r of roots) if (existsSync(join(root, r))) listSources(root, join(root, r), files);
  files.sort();
  const exportsMap = packageExports(root);
  const edges = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = new Set<string>();
    for (const { fileName } of info.importedFiles) {
      if (fileName.startsWith('.')) {
        const target = resolveRelative(root, file, fileName);
        if (target === undefined) unresolved.push(`${file} → ${fileName}`);
        else targets.add(target);
      } else if (exportsMap.has(fileName)) {
        targets.add(exportsMap.get(fileName)!);
      }
    }
    edges.set(file, [...targets].sort());
  }
  return { files, edges, unresolved };
}
