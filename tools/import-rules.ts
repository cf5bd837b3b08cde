/**
 * The import rule of ringmon's design, checked against an ImportGraph:
 *
 * - **Parts import one way.** Each file belongs to the first part in PARTS
 *   whose prefix it starts with, and may import only files of the parts
 *   that part lists (and of its own part). `lib/` is the bottom layer and
 *   imports nothing else; `archive/` knows only `lib/`; slurpers see only
 *   their contract (plus the host, for the agent); `web/src` only itself
 *   (it talks to the server over HTTP; the API's types are its own
 *   api-types.ts); the server never loads the CLI, the web build tool or
 *   the agent.
 * - **No circles**, neither between files nor between folders (the folders
 *   of one part, e.g. server/config ↔ server/alarms: two folders that import
 *   each other have no order, which is how upward arrows show).
 *
 * Pure: the caller prints. Tests, benches and tools may import anything and
 * are not checked.
 */
import type { ImportGraph } from './import-graph.js';

export interface Part {
  readonly name: string;
  /** Path prefixes of the part's files. */
  readonly prefixes: readonly string[];
  /** The parts it may import, besides itself. */
  readonly mayImport: readonly string[];
}

export const PARTS: readonly Part[] = [
  { name: 'lib', prefixes: ['lib/'], mayImport: [] },
  { name: 'archive', prefixes: ['archive/'], mayImport: ['lib'] },
  { name: 'slurper contract', prefixes: ['slurpers/contract.ts'], mayImport: ['lib'] },
  { name: 'slurper host', prefixes: ['slurpers/host/', 'slurpers/index.ts'], mayImport: ['slurper contract', 'lib'] },
  { name: 'slurpers', prefixes: ['slurpers/builtin/', 'slurpers/examples/'], mayImport: ['slurper contract', 'lib'] },
  { name: 'agent', prefixes: ['slurpers/agent/'], mayImport: ['slurper host', 'slurpers', 'slurper contract', 'lib'] },
  { name: 'server', prefixes: ['server/'], mayImport: ['archive', 'slurper host', 'slurpers', 'slurper contract', 'lib'] },
  { name: 'cli', prefixes: ['cli/'], mayImport: ['server', 'agent', 'archive', 'slurper host', 'slurpers', 'slurper contract', 'lib'] },
  { name: 'web build', prefixes: ['web/build.ts'], mayImport: ['lib'] },
  { name: 'web', prefixes: ['web/src/'], mayImport: [] },
];

/** The roots whose files the rule covers. */
export const CHECKED_ROOTS = ['lib', 'archive', 'slurpers', 'server', 'cli', 'web'] as const;

export interface ImportReport {
  /** `from → to (part → part)` for every arrow the parts forbid. */
  readonly forbidden: readonly string[];
  /** Files that are in no part. */
  readonly unplaced: readonly string[];
  /** Each circle of files, as `a → b → … → a`. */
  readonly fileCircles: readonly string[];
  /** Each circle of folders. */
  readonly folderCircles: readonly string[];
  readonly unresolved: readonly string[];
  /** Arrows per pair of parts, for the summary. */
  readonly arrows: ReadonlyMap<string, number>;
  readonly fileCount: number;
}

export function partOf(file: string): Part | undefined {
  return PARTS.find((p) => p.prefixes.some((prefix) => file.startsWith(prefix)));
}

/** A folder for the folder-circle check: `server/alarms`, `lib/segment-log`; a file directly in a part's root stands alone. */
export function folderOf(file: string): string {
  const segments = file.split('/');
  return segments.length >= 3 ? segments.slice(0, 2).join('/') : file;
}

export function checkImports(graph: ImportGraph): ImportReport {
  const forbidden: string[] = [];
  const unplaced: string[] = [];
  const arrows = new Map<string, number>();
  const folderEdges = new Map<string, Set<string>>();
  for (const file of graph.files) {
    const from = partOf(file);
    if (from === undefined) unplaced.push(file);
    for (const target of graph.edges.get(file) ?? []) {
      const to = partOf(target);
      if (from !== undefined && to !== undefined) {
        if (from !== to) arrows.set(`${from.name} → ${to.name}`, (arrows.get(`${from.name} → ${to.name}`) ?? 0) + 1);
        if (from !== to && !from.mayImport.includes(to.name)) forbidden.push(`${file} → ${target} (${from.name} → ${to.name})`);
      }
      const a = folderOf(file);
      const b = folderOf(target);
      if (a !== b) (folderEdges.get(a) ?? folderEdges.set(a, new Set()).get(a)!).add(b);
    }
  }
  const fileEdges = new Map([...graph.edges].map(([k, v]) => [k, new Set(v)]));
  return {
    forbidden,
    unplaced,
    fileCircles: circles(fileEdges),
    folderCircles: circles(folderEdges),
    unresolved: graph.unresolved,
    arrows,
    fileCount: graph.files.length,
  };
}

/** Strongly connected components of more than one node, or with a self loop (Tarjan), each as one circle through its nodes. */
function circles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of edges.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || edges.get(node)?.has(node)) found.push(describeCircle(component, edges));
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** One path through the component that returns to its start: enough to see where to cut. */
function describeCircle(component: readonly string[], edges: ReadonlyMap<string, ReadonlySet<string>>): string {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const path = [start];
  const seen = new Set([start]);
  let at = start;
  for (;;) {
    const options = [...(edges.get(at) ?? [])].filter((n) => members.has(n)).sort();
    const step = options.find((n) => n === start) ?? options.find((n) => !seen.has(n)) ?? options[0];
    path.push(step);
    if (step === start || seen.has(step)) break;
    seen.add(step);
    at = step;
  }
  const more = component.length > path.length - 1 ? ` (${component.length} in the circle)` : '';
  return path.join(' → ') + more;
}
