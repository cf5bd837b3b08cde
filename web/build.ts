/**
 * Bundles the web client: web/src/main.ts → <outDir>/assets/main-HASH.js
 * (minified, with its source map), the page's <style> → <outDir>/assets/
 * page-HASH.css, and <outDir>/index.html pointing at both. The page keeps
 * no inline style or script, so the server's Content-Security-Policy
 * (server/http/security-headers.ts) can forbid them.
 *
 * Safe to run while a server reads outDir and while another build runs:
 * assets carry their content hash, so a new file never replaces one in use,
 * and index.html is replaced by a rename, so a reader sees the old or the
 * new page whole. Assets no index refers to are removed once they are an
 * hour old (a page loaded before the build may still ask for them).
 *
 * `npm run build:web`, `npm ci` (prepare) and `ringmon serve` (when the
 * bundle is missing) run it.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceFileSync } from '../lib/durable-file.js';

const WEB_DIR = dirname(fileURLToPath(import.meta.url));

/** Where `ringmon serve` looks for the bundle. */
export const DEFAULT_WEB_DIST = join(WEB_DIR, 'dist');

const STALE_ASSET_MS = 60 * 60 * 1000;

export interface WebBuildResult {
  readonly outDir: string;
  /** Paths relative to outDir of the files this build wrote. */
  readonly files: readonly string[];
}

/**
 * The bundle is public (it is served without a token) and the server may run
 * as another user than the one who built it, so it is readable by all; it is
 * replaced like any file ringmon writes (lib/durable-file).
 */
const PUBLIC_FILE_MODE = 0o644;

function writeAtomically(path: string, contents: string | Uint8Array): void {
  replaceFileSync(path, contents, { mode: PUBLIC_FILE_MODE });
}

function pruneAssets(assetsDir: string, keep: ReadonlySet<string>, now: number): void {
  for (const name of readdirSync(assetsDir)) {
    const path = join(assetsDir, name);
    if (keep.has(name)) continue;
    try {
      if (now - statSync(path).mtimeMs > STALE_ASSET_MS) rmSync(path, { force: true });
    } catch {
      // Another build removed it first.
    }
  }
}

/**
 * Moves each <style> element of `html` into a stylesheet named after its
 * content's hash, linked in its place.
 */
function externalStyles(html: string): { html: string; sheets: { name: string; css: string }[] } {
  const sheets: { name: string; css: string }[] = [];
  const linked = html.replace(/<style>([\s\S]*?)<\/style>/g, (_element, css: string) => {
    const name = `page-${createHash('sha256').update(css).digest('hex').slice(0, 10)}.css`;
    sheets.push({ name, css });
    return `<link rel="stylesheet" href="assets/${name}">`;
  });
  return { html: linked, sheets };
}

/** Builds the bundle into outDir (default web/dist). Throws esbuild's error when the sources do not compile. */
export async function buildWeb(outDir: string = DEFAULT_WEB_DIST): Promise<WebBuildResult> {
  const assetsDir = join(outDir, 'assets');
  mkdirSync(assetsDir, { recursive: true });
  const result = await build({
    entryPoints: [join(WEB_DIR, 'src', 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    outdir: assetsDir,
    entryNames: '[name]-[hash]',
    tsconfig: join(WEB_DIR, 'tsconfig.json'),
    write: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'linked',
  });
  const written: string[] = [];
  let script: string | undefined;
  for (const file of result.outputFiles) {
    writeAtomically(file.path, file.contents);
    written.push(relative(outDir, file.path));
    if (file.path.endsWith('.js')) script = basename(file.path);
  }
  if (script === undefined) throw new Error('web build: esbuild produced no script');
  const template = readFileSync(join(WEB_DIR, 'index.html'), 'utf8');
  const page = externalStyles(template.replace('%APP_SCRIPT%', `assets/${script}`));
  for (const sheet of page.sheets) {
    writeAtomically(join(assetsDir, sheet.name), sheet.css);
    written.push(relative(outDir, join(assetsDir, sheet.name)));
  }
  writeAtomically(join(outDir, 'index.html'), page.html);
  written.push('index.html');
  pruneAssets(assetsDir, new Set(written.map((f) => basename(f))), Date.now());
  return { outDir, files: written };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const out = await buildWeb(process.argv[2]);
  console.log(`web client built into ${out.outDir} in ${Math.round(performance.now() - started)} ms: ${out.files.join(', ')}`);
}
