/**
 * Child process of the reshape crash test: reshapes each archive in its
 * folder from `before` to `after`, then exits. The parent kills it with
 * SIGKILL at a random moment.
 */
import { join } from 'node:path';
import { reshapeArchive } from '../../archive/index.js';
import { FILES, after } from './reshape-crash-scenario.js';

const dir = process.argv[2];
process.stdout.write('ready\n');
for (let a = 0; a < FILES; a++) reshapeArchive(join(dir, `a${a}.rma`), after);
process.stdout.write('done\n');
