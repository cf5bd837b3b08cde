/**
 * Child process of the durable-file tests.
 *   replace-writer.ts loop PATH BYTES   replaces PATH forever with BYTES bytes, each version one repeated
 *                                       byte value (a, b, c, ...), printing "ready" after the first; the
 *                                       parent kills it with SIGKILL at a random moment.
 *   replace-writer.ts once PATH TEXT    replaces PATH with TEXT once, printing "ok" or the error's code.
 */
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
  for (let version = 0; ; version++) {
    replaceFileSync(path, Buffer.alloc(size, 0x61 + (version % 26)));
    if (version === 0) process.stdout.write('ready\n');
  }
}
