/** Child process of the archive mode tests (run under strace): creates one archive at argv[2], synced, as `ringmon archive create` does. */
import { createArchive, type ArchiveDefinition } from '../../archive/index.js';

const definition: ArchiveDefinition = {
  step: 60,
  dataSources: [{ name: 'x', type: 'GAUGE', heartbeat: 120, min: NaN, max: NaN }],
  rras: [{ cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 10 }],
};
createArchive(process.argv[2], definition, { start: 1_700_000_000 });
