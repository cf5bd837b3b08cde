/**
 * The metadata in force and its file, watched. Read at start (a bad file
 * stops the start: ConfigError naming metadata.file), then looked at every
 * `checkEvery` (size, modification time) and on reread() (SIGHUP, POST
 * /api/v1/admin/reload): a changed file that reads well becomes the
 * snapshot in force and the listeners are told; a bad, missing or too large
 * one is logged naming the problem, and the metadata in force is kept.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../config-schema/index.js';
import type { MetadataSettings } from './config-section.js';
import { compileNodeKey } from './node-key.js';
import { EMPTY_METADATA, metadataSnapshot, type MetadataSnapshot } from './node-metadata.js';
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
  private readonly listeners: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly settings: MetadataSettings,
    private readonly log: MetadataLogger,
  ) {}

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

  /** `listener` runs after each change of the metadata in force. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Reads the file now, whatever its time says; never throws. */
  reread(): Reread {
    const { file, key, maxBytes } = this.settings;
    if (file === undefined || key === undefined) return { changed: false };
    let snapshot: MetadataSnapshot;
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
      snapshot = metadataSnapshot(readMetadata(text, metadataFormat(file) ?? 'yaml'), compileNodeKey(key));
    } catch (e) {
      const problem = `${file}: ${e instanceof Error ? e.message : String(e)}`;
      if (this.current !== EMPTY_METADATA || this.digest !== '') this.log.error({ file }, `metadata: the file is refused, the metadata in force is kept: ${problem}`);
      return { changed: false, problem };
    }
    this.current = snapshot;
    this.digest = digest;
    // The read holds the event loop (YAML at about 1.7 MB/s): its time is worth seeing.
    const ms = Math.round(performance.now() - started);
    this.log.info({ file, nodes: snapshot.nodes.size, ms }, `metadata: ${snapshot.nodes.size} nodes from ${file} (read in ${ms} ms)`);
    for (const listener of this.listeners) listener();
    return { changed: true };
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
