/**
 * The metadata in force and its file, watched. Read at start (a bad file
 * stops the start: ConfigError naming metadata.file), then looked at every
 * `checkEvery` (size, modification time) and on reread() (SIGHUP, POST
 * /api/v1/admin/reload): a changed file that reads well becomes the
 * snapshot in force and the listeners are told; a bad, missing or too large
 * one is logged naming the problem, and the metadata in force is kept.
 * Labels on samples (offerLabels, node-labels.ts) fill the nodes' fields the
 * file does not give; a change of either makes a new snapshot and tells
 * the listeners.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../config-schema/index.js';
import type { MetadataSettings } from './config-section.js';
import { NodeLabels, DEFAULT_LABEL_KEY, type LabelledSeries } from './node-labels.js';
import { compileNodeKey, type NodeKey } from './node-key.js';
import { EMPTY_METADATA, mergedSnapshot, type MetadataSnapshot, type NodeMeta } from './node-metadata.js';
import { metadataFormat, readMetadata } from './read-file.js';

export interface MetadataLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What one look at the file found: whether the metadata changed, or why the file was refused. */
export interface Reread {
  readonly changed: boolean;
  readonly problem?: string;
}

export class MetadataSource {
  private current: MetadataSnapshot = EMPTY_METADATA;
  private stamp = '';
  private digest = '';
  private readonly listeners: (() => unknown)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private fileNodes: ReadonlyMap<string, NodeMeta> = new Map();
  private readonly key: NodeKey;
  private readonly labels: NodeLabels;
  /** Refusals already logged (series and problem): a sender repeats its labels at every run. */
  private readonly refusalsLogged = new Set<string>();
  /** The listeners' telling under way, and the one waiting for it. */
  private telling: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  private constructor(
    private readonly settings: MetadataSettings,
    private readonly log: MetadataLogger,
  ) {
    this.key = compileNodeKey(settings.key ?? DEFAULT_LABEL_KEY);
    this.labels = new NodeLabels(this.key, settings.maxBytes, (series, problem) => {
      const seen = `${series}\n${problem}`;
      if (this.refusalsLogged.has(seen)) return;
      if (this.refusalsLogged.size >= 10_000) this.refusalsLogged.clear();
      this.refusalsLogged.add(seen);
      this.log.error({ series }, `metadata: labels of ${series} refused: ${problem}`);
    });
  }

  /** Reads the file (when configured) and starts watching it; throws ConfigError naming metadata.file for a bad one. */
  static open(settings: MetadataSettings, log: MetadataLogger): MetadataSource {
    const source = new MetadataSource(settings, log);
    if (settings.file === undefined) return source;
    const first = source.reread();
    if (first.problem !== undefined) throw new ConfigError(undefined, [{ key: 'metadata.file', message: first.problem }]);
    source.timer = setInterval(() => source.look(), settings.checkEvery * 1000);
    source.timer.unref();
    return source;
  }

  /** The metadata in force. */
  snapshot(): MetadataSnapshot {
    return this.current;
  }

  /** `listener` runs after each change of the metadata in force; what it returns is awaited by offerLabels. */
  onChange(listener: () => unknown): void {
    this.listeners.push(listener);
  }

  /**
   * The labels a batch of samples carries, applied before the batch is
   * ingested (store/ingest-offered.ts): when a node's fields changed, the
   * new snapshot is in force and the promise resolves once the listeners'
   * own promises have (the rules compiled again), so the batch's samples
   * are judged against them; undefined when nothing changed and nothing is
   * being compiled still. A refused
   * label is logged (once per series and problem), never thrown.
   */
  offerLabels(batch: readonly LabelledSeries[]): Promise<void> | undefined {
    // Unchanged, but the rules for a change just made may still be compiling: a sample of that node waits for them too.
    if (!this.labels.apply(batch)) return this.next ?? this.telling;
    this.current = mergedSnapshot(this.fileNodes, this.labels, this.key);
    return this.tell();
  }

  /** Reads the file now, whatever its time says; never throws. */
  reread(): Reread {
    const { file, key, maxBytes } = this.settings;
    if (file === undefined || key === undefined) return { changed: false };
    let nodes: ReadonlyMap<string, NodeMeta>;
    let digest: string;
    const started = performance.now();
    try {
      const stat = statSync(file);
      this.stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
      if (stat.size > maxBytes) throw new Error(`is ${stat.size} bytes; the limit is ${maxBytes} (metadata.maxBytes)`);
      const text = readFileSync(file, 'utf8');
      digest = createHash('sha256').update(text).digest('hex');
      if (digest === this.digest) return { changed: false };
      // metadataFormat is checked with the config: the extension is known.
      nodes = readMetadata(text, metadataFormat(file) ?? 'yaml');
    } catch (e) {
      const problem = `${file}: ${e instanceof Error ? e.message : String(e)}`;
      if (this.digest !== '') this.log.error({ file }, `metadata: the file is refused, the metadata in force is kept: ${problem}`);
      return { changed: false, problem };
    }
    this.fileNodes = nodes;
    this.current = mergedSnapshot(nodes, this.labels, this.key);
    this.digest = digest;
    // The read holds the event loop (YAML at about 1.7 MB/s): its time is worth seeing.
    const ms = Math.round(performance.now() - started);
    this.log.info({ file, nodes: nodes.size, ms }, `metadata: ${nodes.size} nodes from ${file} (read in ${ms} ms)`);
    void this.tell();
    return { changed: true };
  }

  /**
   * Tells every listener; resolves when what they returned has settled. One
   * telling at a time: the changes made while one is under way are told
   * once, after it (a fleet giving its first labels batch after batch
   * compiles the rules a few times, not once a node).
   */
  private tell(): Promise<void> {
    if (this.telling === undefined) return this.tellNow();
    this.next ??= this.telling.then(() => {
      this.next = undefined;
      return this.tellNow();
    });
    return this.next;
  }

  private tellNow(): Promise<void> {
    const told = Promise.allSettled(this.listeners.map((listener) => listener())).then(() => {
      if (this.telling === told) this.telling = undefined;
    });
    this.telling = told;
    return told;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The timer's look: a re-read only when the file's size or time changed. */
  private look(): void {
    const { file } = this.settings;
    if (file === undefined) return;
    let stamp: string;
    try {
      const stat = statSync(file);
      stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    } catch {
      stamp = 'missing';
    }
    if (stamp !== this.stamp) this.reread();
    this.stamp = stamp;
  }
}
