/**
 * `npx tsx tools/docs-screenshots.ts`: copies the screenshots of the web
 * client's views, which test/web/a11y.test.ts saves as
 * test-output/web/view-NAME.png, to docs/images/web/NAME.png for
 * docs/web.md. Run the test first:
 *
 *   npx vitest run test/web/a11y.test.ts && npx tsx tools/docs-screenshots.ts
 *
 * Exits 1, naming the file, when there is no screenshot to copy.
 */
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = join(ROOT, 'test-output', 'web');
export const DOCS_IMAGES = join(ROOT, 'docs', 'images', 'web');
const PREFIX = 'view-';

/** The views' screenshots in `dir`: view name → file. */
export function viewScreenshots(dir: string): Map<string, string> {
  const files = readdirSync(dir, { withFileTypes: true }).filter((f) => f.isFile() && f.name.startsWith(PREFIX) && f.name.endsWith('.png'));
  return new Map(files.map((f) => [f.name.slice(PREFIX.length, -'.png'.length), join(dir, f.name)]));
}

function main(): number {
  let shots: Map<string, string>;
  try {
    shots = viewScreenshots(SOURCE);
  } catch {
    shots = new Map();
  }
  if (shots.size === 0) {
    console.error(`no ${PREFIX}*.png in ${SOURCE}: run npx vitest run test/web/a11y.test.ts first`);
    return 1;
  }
  mkdirSync(DOCS_IMAGES, { recursive: true });
  for (const [name, file] of [...shots].sort()) {
    const target = join(DOCS_IMAGES, `${name}.png`);
    copyFileSync(file, target);
    console.log(`${target}: ${Math.round(statSync(target).size / 1024)} KiB`);
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
