/**
 * Child process of the durable-file tests.
 *   replace-writer.ts loop PATH BYTES   replaces PATH forever with BYTES bytes, each version one repeated
 *                                       byte value (a, b, c, ...; the first one after the file's present
 *                                       one), printing "ready" after the first; the parent kills it with
 *                                       SIGKILL at a random moment.
 *   replace-writer.ts once PATH TEXT    replaces PATH with TEXT once, printing "ok" or the error's code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { replaceFileSync } from '../../lib/durable-file.js';

const [mode, path, arg] = process.argv.slice(2);
if (mode === 'once') {
  try {
    replaceFileSync(path, arg);
    process.stdout.write('ok\n');
  } catch (error) {
    process.stdout.write(`${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
  }
} else {
  const size = Number(arg);
  // Each run starts with a version of its own, so the parent sees new ones however slow the disk.
  const first = existsSync(path) ? readFileSync(path)[0] - 0x61 + 1 : 0;
  for (let version = first; ; version++) {
    replaceFileSync(path, Buffer.alloc(size, 0x61 + (version % 26)));
    if (version === first) process.stdout.write('ready\n');
  }
}
