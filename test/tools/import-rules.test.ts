/**
 * The import rule (tools/import-rules.ts): the repository keeps it, and the
 * checker finds what it is there to find, on small trees made for the test:
 * a forbidden arrow, a circle of files, a circle of folders, an import of
 * the package's own export, a missing file.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { formatReport, violations } from '../../tools/check-imports.js';
import { buildImportGraph } from '../../tools/import-graph.js';
import { CHECKED_ROOTS, checkImports } from '../../tools/import-rules.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ringmon-imports-'));
  dirs.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'ringmon', exports: { './slurper': './slurpers/contract.ts' } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the repository', () => {
  it('keeps the import rule: parts import one way, no circles of files or folders', () => {
    const report = checkImports(buildImportGraph(ROOT, CHECKED_ROOTS));
    expect(report.fileCount).toBeGreaterThan(250);
    expect(formatReport(report)).toContain('forbidden arrows: 0');
    expect(violations(report), formatReport(report)).toBe(0);
  });

  it('npm run check:imports prints the arrows and exits by the verdict', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'tools/check-imports.ts'], { cwd: ROOT }).catch((e: { stdout: string; code: number }) => e);
    expect(stdout).toMatch(/server → archive: \d+/);
    expect(stdout).toMatch(/^import rule: (kept|\d+ violations)$/m);
  });
});

describe('the checker', () => {
  it('finds an arrow the parts forbid, even a type-only or dynamic one', () => {
    const root = tree({
      'archive/a.ts': "import type { S } from '../server/s.js';\nexport const a = 1;\n",
      'lib/l.ts': "export const l = () => import('../archive/a.js');\n",
      'server/s.ts': "import { a } from '../archive/a.js';\nexport type S = typeof a;\n",
    });
    const report = checkImports(buildImportGraph(root, CHECKED_ROOTS));
    expect(report.forbidden).toEqual(['archive/a.ts → server/s.ts (archive → server)', 'lib/l.ts → archive/a.ts (lib → archive)']);
    expect(report.arrows.get('server → archive')).toBe(1);
  });

  it('finds a circle of files and a circle of folders within one part', () => {
    const root = tree({
      'server/config/schema.ts': "import { rule } from '../alarms/rule.js';\nexport const schema = rule;\n",
      'server/alarms/rule.ts': "export const rule = 1;\n",
      'server/alarms/engine.ts': "import { schema } from '../config/schema.js';\nexport const e = schema;\n",
      'server/store/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'server/store/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    const report = checkImports(buildImportGraph(root, CHECKED_ROOTS));
    expect(report.fileCircles).toEqual(['server/store/a.ts → server/store/b.ts → server/store/a.ts']);
    expect(report.folderCircles).toEqual(['server/alarms → server/config → server/alarms']);
    expect(report.forbidden).toEqual([]);
  });

  it("resolves the package's own export and reports imports of missing files", () => {
    const root = tree({
      'slurpers/contract.ts': 'export const defineSlurper = 1;\n',
      'slurpers/builtin/x.ts': "import { defineSlurper } from 'ringmon/slurper';\nimport { y } from './gone.js';\nimport { z } from 'undici';\n",
    });
    const graph = buildImportGraph(root, CHECKED_ROOTS);
    expect(graph.edges.get('slurpers/builtin/x.ts')).toEqual(['slurpers/contract.ts']);
    expect(graph.unresolved).toEqual(['slurpers/builtin/x.ts → ./gone.js']);
    expect(violations(checkImports(graph))).toBe(1);
  });
});
