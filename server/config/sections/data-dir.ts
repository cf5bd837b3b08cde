/** `dataDir`: the directory holding archives, the journal and (by default) the token file. */
import { DEFAULT_DATA_DIR } from '../defaults.js';
import { defineSection, filePath } from '../../config-schema/index.js';

export const dataDirSection = defineSection({
  schema: filePath({ default: DEFAULT_DATA_DIR }),
});
