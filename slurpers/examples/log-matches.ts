import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineSlurper, Type } from 'ringmon/slurper';

export default defineSlurper({
  name: 'log-matches',
  description: 'Lines holding a text that were added to a log file since the last run.',
  options: Type.Object({ path: Type.String(), text: Type.String({ minLength: 1, default: 'ERROR' }) }),
  async collect(ctx, options) {
    const offsetFile = join(ctx.stateDir, 'offset');
    const saved = await readFile(offsetFile, 'utf8').then(Number, () => undefined);
    const log = await open(options.path);
    try {
      const { size } = await log.stat();
      // The first run starts at the end; a file shorter than the offset was rotated: read it from the start.
      const start = saved === undefined ? size : saved > size ? 0 : saved;
      const { buffer, bytesRead } = await log.read(Buffer.alloc(size - start), 0, size - start, start);
      // A line still being written waits for the next run.
      const complete = buffer.subarray(0, buffer.lastIndexOf('\n', bytesRead - 1) + 1);
      const matches = complete.toString('utf8').split('\n').filter((line) => line.includes(options.text)).length;
      // Owner-only, like everything under ringmon's data folder.
      await writeFile(offsetFile, String(start + complete.length), { mode: 0o600 });
      return [{ series: 'matches', value: matches }];
    } finally {
      await log.close();
    }
  },
});
