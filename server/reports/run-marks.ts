/**
 * Where each report's last period ended, kept in
 * `<dataDir>/reports/last-runs.json` so that a restart does not lose it: the
 * next run starts its window there, and a node that went bad and recovered
 * between two runs is in the second one's report.
 *
 *     { "version": 1, "ends": { "daily": 1796000000 } }
 *
 * Replaced whole and durably (lib/durable-file, mode 0600) after each run
 * that delivered; writes are queued, so two reports ending at once do not
 * lose one's mark. A file that cannot be read as this form is reported by
 * `open` and treated as no marks (each report starts again from its default
 * window) rather than stopping the server.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectory, replaceFile } from '../../lib/durable-file.js';
import { REPORTS_DIR } from './report-name.js';

export const RUN_MARKS_FILE = 'last-runs.json';

export class RunMarks {
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dataDir: string,
    private readonly ends: Map<string, number>,
  ) {}

  /** Reads the marks; `problem` says why a file present was not usable (then there are none). */
  static async open(dataDir: string): Promise<{ readonly marks: RunMarks; readonly problem?: string }> {
    const path = join(dataDir, REPORTS_DIR, RUN_MARKS_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { marks: new RunMarks(dataDir, new Map()) };
      return { marks: new RunMarks(dataDir, new Map()), problem: `${path}: ${(error as Error).message}` };
    }
    const ends = readMarks(text);
    if (ends === undefined) return { marks: new RunMarks(dataDir, new Map()), problem: `${path} is not a report marks file ({"version":1,"ends":{...}}); each report starts from its default window` };
    return { marks: new RunMarks(dataDir, ends) };
  }

  /** Where report `name`'s last period ended; undefined before its first run. */
  endOf(name: string): number | undefined {
    return this.ends.get(name);
  }

  /** Records that report `name`'s period ended at `end`, on disk before resolving. Rejects with the file system's error. */
  set(name: string, end: number): Promise<void> {
    this.ends.set(name, end);
    const text = `${JSON.stringify({ version: 1, ends: Object.fromEntries(this.ends) })}\n`;
    const write = this.chain.then(async () => {
      await makeDirectory(join(this.dataDir, REPORTS_DIR));
      await replaceFile(join(this.dataDir, REPORTS_DIR, RUN_MARKS_FILE), text);
    });
    this.chain = write.catch(() => {});
    return write;
  }
}

function readMarks(text: string): Map<string, number> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { version?: unknown }).version !== 1) return undefined;
  const ends = (parsed as { ends?: unknown }).ends;
  if (typeof ends !== 'object' || ends === null || Array.isArray(ends)) return undefined;
  const out = new Map<string, number>();
  for (const [name, end] of Object.entries(ends)) {
    if (typeof end !== 'number' || !Number.isFinite(end) || end < 0) return undefined;
    out.set(name, end);
  }
  return out;
}
