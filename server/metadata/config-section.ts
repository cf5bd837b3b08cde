/**
 * `metadata`: the mapping file of node metadata (read-file.ts) and how a
 * series names its node (node-key.ts). Without `file` there is no metadata
 * and settings taken from it use their defaults. The file is looked at every
 * `checkEvery` and re-read when its size or modification time changed, and
 * at every reload (SIGHUP, POST /api/v1/admin/reload). See docs/metadata.md.
 */
import { Type } from 'typebox';
import { byteSize, defineSection, durationSeconds, filePath, strictObject, type SectionValue } from '../config-schema/index.js';
import { checkNodeKey } from './node-key.js';
import { metadataFormat } from './read-file.js';

/**
 * A file is read on the event loop; measured with 100,000 nodes, YAML reads
 * at about 1.7 MB/s (10.7 MB: 6.3 s), JSON at 10 MB/s and CSV at 8 MB/s:
 * 4 MiB keeps a YAML re-read under about 3 s and holds some 90,000 nodes
 * of five fields in CSV (docs/metadata.md).
 */
export const DEFAULT_METADATA_MAX_BYTES = 4 * 1024 * 1024;

export const metadataSection = defineSection({
  schema: strictObject(
    {
      /** JSON, YAML or CSV by its extension, keyed by node id. */
      file: Type.Optional(filePath()),
      /** A series pattern with one `{node}` segment: e.g. `broker.*.{node}` or `*.{node}.**`. */
      key: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
      /** How often the file's size and modification time are looked at. */
      checkEvery: durationSeconds({ minimum: 1, maximum: 3600, default: 5 }),
      /** A larger file is refused (and the metadata in force kept). */
      maxBytes: byteSize({ minimum: 1024, maximum: 64 * 1024 * 1024, default: DEFAULT_METADATA_MAX_BYTES }),
    },
    { default: {} },
  ),
  check: (value, report) => {
    if (value.file !== undefined && metadataFormat(value.file) === undefined) report(['file'], 'must end in .json, .yaml, .yml or .csv (the format is chosen by the extension)');
    if (value.file !== undefined && value.key === undefined) report(['key'], 'is required with metadata.file: a series pattern with one {node} segment, e.g. broker.*.{node}');
    if (value.key !== undefined) {
      const problem = checkNodeKey(value.key);
      if (problem !== undefined) report(['key'], problem);
    }
  },
});

/** The `metadata` section as loaded. */
export type MetadataSettings = SectionValue<typeof metadataSection.schema>;
