/**
 * What vitest.config.ts's 'suite' project relies on when it runs many files in one process (isolate: false):
 * a module under test/ that is not a test file runs its top level once per worker, so a hook registered there
 * (afterAll, beforeAll...) would run for the first file only, e.g. removing a folder the later files still use,
 * or leaving theirs behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const TEST_ROOT = import.meta.dirname;
const TOP_LEVEL_HOOK = /^(afterAll|afterEach|beforeAll|beforeEach)\(/m;

/** Every .ts file under `dir` that is not a test file, as paths relative to test/. */
function helperFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return helperFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [relative(TEST_ROOT, path)] : [];
  });
}

describe('the modules test files share', () => {
  it('register no vitest hook at their top level', () => {
    const helpers = helperFiles(TEST_ROOT);
    expect(helpers).toContain(join('server', 'store', 'store-helpers.ts'));
    const offenders = helpers.filter((path) => TOP_LEVEL_HOOK.test(readFileSync(join(TEST_ROOT, path), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('would catch one', () => {
    expect(TOP_LEVEL_HOOK.test("import { afterAll } from 'vitest';\nconst root = make();\nafterAll(() => remove(root));\n")).toBe(true);
    expect(TOP_LEVEL_HOOK.test('export function fresh(): void {\n  afterAll(() => remove(root));\n}\n')).toBe(false);
  });
});
