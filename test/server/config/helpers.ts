/** Config files in a temporary directory, and the ConfigError a load throws. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ConfigError, loadConfig, type ConfigProblem } from '../../../server/config/index.js';

/** A fresh directory removed after the test file; config files are written into it. */
export function tempConfigDir(): { dir: string; write: (text: string, name?: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    dir,
    write: (text, name = `config-${++n}.yaml`) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/** The ConfigError thrown by `action`; fails the test if it throws nothing or something else. */
export function configErrorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

/** The problems of loading `path` with no environment overrides. */
export function problemsOf(path: string): readonly ConfigProblem[] {
  return configErrorOf(() => loadConfig(path, { env: {} })).problems;
}
