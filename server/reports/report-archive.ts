/**
 * The archived copies of report runs: `<dataDir>/reports/<name>-<minute>Z.csv`
 * and `.html`, and a `-<view>.png` per embedded heatmap (report-name.ts), written before delivery so they exist even
 * when the mail relay is down; listed, read back and removed after `keep`.
 *
 * Written with lib/durable-file: the folder made owner-only if missing, each
 * file replaced atomically and durably, mode 0600 (a report names what is
 * failing where, which is for the operator alone). A reader never sees half
 * a file. A second run in the same minute replaces the first one's copies,
 * as the file names have minute resolution.
 */
import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeDirectory, replaceFile } from '../../lib/durable-file.js';
import { archiveFileName, readArchiveFileName, REPORTS_DIR, type ArchiveKind } from './report-name.js';

/**
 * Archives one run's CSV, its HTML when given and its heatmap PNGs (named
 * by heatmapFileName), the CSV last: its presence means the run's copies
 * are complete. Resolves with the CSV's
 * path. Throws the file system's error (full disk, no permission); leaves
 * no temporary file behind.
 */
export async function archiveReport(dataDir: string, name: string, at: number, csv: string, html?: string, images: readonly { readonly file: string; readonly png: Uint8Array }[] = []): Promise<string> {
  const path = join(dataDir, REPORTS_DIR, archiveFileName(name, at));
  await makeDirectory(dirname(path));
  for (const image of images) await replaceFile(join(dataDir, REPORTS_DIR, image.file), image.png);
  if (html !== undefined) await replaceFile(join(dataDir, REPORTS_DIR, archiveFileName(name, at, 'html')), html);
  await replaceFile(path, csv);
  return path;
}

/** One archived run: its minute and the sizes of the files kept. */
export interface ArchivedRun {
  /** `2026-11-24T0030Z`. */
  readonly stamp: string;
  readonly at: number;
  readonly files: Readonly<Partial<Record<'csv' | 'html', { readonly file: string; readonly bytes: number }>>>;
  /** The heatmap PNGs it embedded, by view name. */
  readonly images: readonly { readonly view: string; readonly file: string; readonly bytes: number }[];
}

const missing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

async function filesOf(dataDir: string): Promise<string[]> {
  try {
    return await readdir(join(dataDir, REPORTS_DIR));
  } catch (error) {
    if (missing(error)) return [];
    throw error;
  }
}

/** The archived runs of report `name`, newest first. */
export async function listRuns(dataDir: string, name: string): Promise<ArchivedRun[]> {
  const runs = new Map<string, { stamp: string; at: number; files: Partial<Record<'csv' | 'html', { file: string; bytes: number }>>; images: { view: string; file: string; bytes: number }[] }>();
  for (const file of await filesOf(dataDir)) {
    const read = readArchiveFileName(name, file);
    if (read === undefined) continue;
    let bytes: number;
    try {
      bytes = (await stat(join(dataDir, REPORTS_DIR, file))).size;
    } catch (error) {
      if (missing(error)) continue; // removed meanwhile
      throw error;
    }
    const run = runs.get(read.stamp) ?? { stamp: read.stamp, at: read.at, files: {}, images: [] };
    if (read.kind === 'png') run.images.push({ view: read.view ?? '', file, bytes });
    else run.files[read.kind] = { file, bytes };
    runs.set(read.stamp, run);
  }
  for (const run of runs.values()) run.images.sort((a, b) => (a.file < b.file ? -1 : 1));
  return [...runs.values()].sort((a, b) => b.at - a.at);
}

/** The content of an archived file of report `name` (bytes for a PNG, text otherwise); undefined when `file` is not one (any other name, or removed). */
export async function readRun(dataDir: string, name: string, file: string): Promise<{ readonly kind: ArchiveKind; readonly content: string | Buffer } | undefined> {
  const read = readArchiveFileName(name, file);
  if (read === undefined) return undefined;
  try {
    const path = join(dataDir, REPORTS_DIR, file);
    return { kind: read.kind, content: read.kind === 'png' ? await readFile(path) : await readFile(path, 'utf8') };
  } catch (error) {
    if (missing(error)) return undefined;
    throw error;
  }
}

/** Removes the archived files of report `name` whose run is more than `keepSeconds` before `now`; resolves with the names removed. */
export async function pruneRuns(dataDir: string, name: string, keepSeconds: number, now: number): Promise<string[]> {
  const removed: string[] = [];
  for (const file of await filesOf(dataDir)) {
    const read = readArchiveFileName(name, file);
    if (read === undefined || read.at >= now - keepSeconds) continue;
    try {
      await unlink(join(dataDir, REPORTS_DIR, file));
      removed.push(file);
    } catch (error) {
      if (!missing(error)) throw error;
    }
  }
  return removed.sort();
}
