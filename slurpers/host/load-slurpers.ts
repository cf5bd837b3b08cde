/**
 * Loading slurpers that users drop into a folder, and the registry of every
 * slurper by name. A file is imported (TypeScript works wherever tsx's
 * loader is registered, as it is for the `ringmon` command and the tests;
 * `ringmon/slurper` resolves from any folder, see slurper-modules.ts),
 * and its default export is checked before anything runs it; every problem
 * names the file, so a broken plugin stops the start with one clear line.
 *
 * The registry is one explicit list that fails fast: a duplicate name is an
 * error that names both files.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Value } from 'typebox/value';
import type { SlurperDefinition } from '../contract.js';
import { errorText } from './error-text.js';
import { admitSlurperFolder } from './slurper-modules.js';

/** A slurper and where it came from (a file path, or `built-in`), for error messages. */
export interface LoadedSlurper {
  readonly definition: SlurperDefinition;
  readonly source: string;
}

/** A slurper file (or folder) that cannot be used; the message names each file at fault. */
export class SlurperLoadError extends Error {
  override name = 'SlurperLoadError';
}

const NAME = /^[a-z][a-z0-9_-]*$/;
const KEYS = ['name', 'description', 'options', 'collect'];
const EXTENSIONS = new Set(['.ts', '.js', '.mjs']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The problems with `value` as a SlurperDefinition, as phrases. */
function shapeProblems(value: unknown): string[] {
  if (!isRecord(value)) return ['the default export must be defineSlurper({ name, description, options, collect })'];
  const problems: string[] = [];
  if (typeof value.name !== 'string' || !NAME.test(value.name)) problems.push(`name must match [a-z][a-z0-9_-]*, got ${JSON.stringify(value.name)}`);
  if (typeof value.description !== 'string' || value.description.trim() === '') problems.push('description must be a non-empty string');
  if (!isRecord(value.options) || value.options.type !== 'object') {
    problems.push("options must be an object schema: Type.Object({...}) or { type: 'object', properties: {...} }");
  } else {
    try {
      Value.Errors(value.options, {});
    } catch (error) {
      problems.push(`options is not a usable JSON Schema: ${errorText(error)}`);
    }
  }
  if (typeof value.collect !== 'function') problems.push('collect must be a function (ctx, options) => Promise<samples>');
  const unknown = Object.keys(value).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) problems.push(`unknown keys ${unknown.join(', ')} (allowed: ${KEYS.join(', ')})`);
  return problems;
}

/** `value` as a SlurperDefinition, or a SlurperLoadError naming `source` and every problem. */
export function checkSlurper(value: unknown, source: string): SlurperDefinition {
  const problems = shapeProblems(value);
  if (problems.length > 0) throw new SlurperLoadError(problems.map((p) => `${source}: ${p}`).join('\n'));
  return value as SlurperDefinition;
}

/**
 * Imports one slurper file and checks its default export. The file may lie
 * in any folder: its folder is admitted first (slurper-modules.ts), so it
 * can import the contract as `ringmon/slurper`.
 */
export async function loadSlurperFile(file: string): Promise<LoadedSlurper> {
  const path = resolve(file);
  let module: Record<string, unknown>;
  try {
    // A file linked in from elsewhere is resolved, and its imports are, where it really lies.
    await admitSlurperFolder(dirname(await realpath(path)));
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new SlurperLoadError(`${path}: cannot load: ${errorText(error)}`);
  }
  if (!('default' in module)) throw new SlurperLoadError(`${path}: has no default export; end it with export default defineSlurper({...})`);
  return { definition: checkSlurper(module.default, path), source: path };
}

/** Whether a folder entry is a slurper file: .ts, .js or .mjs, not a declaration, test or hidden file. */
export function isSlurperFile(name: string): boolean {
  return EXTENSIONS.has(extname(name)) && !name.endsWith('.d.ts') && !/\.(test|spec)\.[a-z]+$/.test(name) && !name.startsWith('.');
}

/**
 * Whether a link leads to a file: plugins are often linked in, as Munin's
 * are. A dangling link counts, so that its import names it as broken.
 */
const linksToFile = (path: string): Promise<boolean> => stat(path).then((s) => s.isFile(), () => true);

/** Every slurper file of `dir` (or link to one), in name order; reports the problems of all files at once. */
export async function loadSlurperFolder(dir: string): Promise<LoadedSlurper[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new SlurperLoadError(`${resolve(dir)}: cannot read the slurper folder: ${errorText(error)}`);
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (!isSlurperFile(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isFile() || (entry.isSymbolicLink() && (await linksToFile(path)))) files.push(path);
  }
  files.sort();
  const results = await Promise.allSettled(files.map(loadSlurperFile));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [errorText(r.reason)] : []));
  if (failures.length > 0) throw new SlurperLoadError(failures.join('\n'));
  return results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

/** Slurpers by name; a malformed definition or a name given twice is a SlurperLoadError naming the sources. */
export function slurperRegistry(slurpers: readonly LoadedSlurper[]): ReadonlyMap<string, SlurperDefinition> {
  const registry = new Map<string, SlurperDefinition>();
  const sources = new Map<string, string>();
  for (const { definition, source } of slurpers) {
    checkSlurper(definition, source);
    const earlier = sources.get(definition.name);
    if (earlier !== undefined) throw new SlurperLoadError(`${source}: a slurper named '${definition.name}' is already defined by ${earlier}`);
    registry.set(definition.name, definition);
    sources.set(definition.name, source);
  }
  return registry;
}
