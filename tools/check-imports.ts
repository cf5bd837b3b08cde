/**
 * `npm run check:imports`: checks the import rule (tools/import-rules.ts)
 * on this repository and prints what it found: the arrows between parts,
 * then every forbidden arrow and every circle. Exits 1 when there is any,
 * 0 when the tree keeps the rule. `--help` says so.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildImportGraph } from './import-graph.js';
import { CHECKED_ROOTS, checkImports, type ImportReport } from './import-rules.js';

export function formatReport(report: ImportReport): string {
  const lines = [`${report.fileCount} files; arrows between parts:`];
  for (const [pair, count] of [...report.arrows].sort()) lines.push(`  ${pair}: ${count}`);
  const sections: [string, readonly string[]][] = [
    ['forbidden arrows', report.forbidden],
    ['files in no part', report.unplaced],
    ['circles of files', report.fileCircles],
    ['circles of folders', report.folderCircles],
    ['imports of missing files', report.unresolved],
  ];
  for (const [title, items] of sections) {
    lines.push(`${title}: ${items.length}`);
    for (const item of items) lines.push(`  ${item}`);
  }
  return lines.join('\n');
}

export function violations(report: ImportReport): number {
  return report.forbidden.length + report.unplaced.length + report.fileCircles.length + report.folderCircles.length + report.unresolved.length;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--help')) {
    console.log('usage: npm run check:imports\nChecks that imports flow one way between the parts (tools/import-rules.ts) and that no files or folders import each other in a circle. Exit 1 on any violation.');
    process.exit(0);
  }
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const report = checkImports(buildImportGraph(root, CHECKED_ROOTS));
  console.log(formatReport(report));
  const count = violations(report);
  console.log(count === 0 ? 'import rule: kept' : `import rule: ${count} violations`);
  process.exit(count === 0 ? 0 : 1);
}
