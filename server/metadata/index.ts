/**
 * Node metadata: the mapping file (display names, contacts, per-node
 * numbers), how a series names its node, and settings that take their value
 * from it (`{ meta: <field>, default: <value> }`). Imports no other part of
 * the server but config-schema, so any part may use it.
 */
export { metadataSection, type MetadataSettings } from './config-section.js';
export { MetadataSource, type MetadataLogger, type Reread } from './metadata-source.js';
export { checkNodeKey, compileNodeKey, NODE_PLACEHOLDER, type NodeKey } from './node-key.js';
export { checkLabels } from '../../lib/node-fields.js';
export { DEFAULT_LABEL_KEY, NodeLabels, type LabelledSeries, type LabelRefusal } from './node-labels.js';
export { EMPTY_METADATA, mergedSnapshot, metadataSnapshot, type LabelFields, type LabelView, type MetadataSnapshot, type MetaValue, type NodeMeta } from './node-metadata.js';
export { EMAIL_ADDRESS, MAX_FIELDS, MAX_LIST_ITEMS, MAX_NODES, MAX_STRING, MetadataFileError, metadataFormat, readMetadata, type MetadataFormat } from './read-file.js';
export { isMetaRef, metaFieldSchema, metaOr, readMetaDuration, resolveSetting, type MetaOr, type MetaRef, type ReadMeta, type Resolved } from './setting.js';
