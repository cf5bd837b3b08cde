/**
 * Crash safety of reshape: a child process reshaping archives is killed
 * with SIGKILL at random moments. After every kill each archive must open
 * and be byte for byte either the old archive or the reshaped one (never
 * missing, never a mix); across the kills both outcomes must have been seen.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createArchive, openArchive, reshapeArchive, updateArchive } from '../../archive/index.js';
import { FILES, START, after, before, samples } from './reshape-crash-scenario.js';

const KILLS = Number(process.env.RINGMON_CRASH_KILLS ?? 20);
const root = mkdtempSync(join(tmpdir(), 'ringmon-reshape-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the child in `dir`, killing it `delayMs` after it is ready; resolves whether it was killed before finishing. */
function runAndKill(dir: string, delayMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'reshape-crash-child.ts'), dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(true);
      else if (code === 0) resolve(false);
      else reject(new Error(`reshaping child exited with ${code}: ${stderr}`));
    });
  });
}

it('kill -9 during reshapes leaves each archive whole: the old one or the new one', { timeout: 300_000 }, async () => {
  const originals: Buffer[] = [];
  const reshaped: Buffer[] = [];
  const reference = join(root, 'reference');
  mkdirSync(reference);
  let reshapeMs = 0;
  for (let a = 0; a < FILES; a++) {
    const file = join(reference, `a${a}.rma`);
    createArchive(file, before, { start: START, initialRow: () => 0 });
    updateArchive(file, samples(a));
    originals.push(readFileSync(file));
    const t0 = performance.now();
    reshapeArchive(file, after);
    reshapeMs += performance.now() - t0;
    reshaped.push(readFileSync(file));
  }
  expect(reshaped[0].equals(originals[0])).toBe(false);
  // midWrite: kills that left a temporary file, i.e. landed while a new archive was being written (about 4 in 10 here).
  const seen = { old: 0, new: 0, midWrite: 0 };
  for (let k = 0; k < KILLS; k++) {
    const dir = join(root, `run${k}`);
    mkdirSync(dir);
    originals.forEach((bytes, a) => writeFileSync(join(dir, `a${a}.rma`), bytes, { mode: 0o600 }));
    // Kills spread over the child's whole run (start-up of the child excluded: it says "ready" first).
    await runAndKill(dir, Math.random() * reshapeMs * 1.2);
    for (let a = 0; a < FILES; a++) {
      const file = join(dir, `a${a}.rma`);
      const bytes = readFileSync(file);
      const isOld = bytes.equals(originals[a]);
      const isNew = bytes.equals(reshaped[a]);
      expect(isOld || isNew, `run ${k} archive ${a}: neither the old nor the reshaped archive`).toBe(true);
      seen[isOld ? 'old' : 'new']++;
      openArchive(file).close();
    }
    // What a kill may leave: hidden temporary files, never another archive name.
    expect(readdirSync(dir).filter((n) => !n.startsWith('.')).sort()).toEqual(originals.map((_, a) => `a${a}.rma`).sort());
    if (readdirSync(dir).some((n) => n.endsWith('.tmp'))) seen.midWrite++;
    rmSync(dir, { recursive: true, force: true });
  }
  expect(seen.old).toBeGreaterThan(0);
  expect(seen.new).toBeGreaterThan(0);
});
