/**
 * Every ```yaml block of README.md and docs/*.md is loaded by the loader
 * that would read it in real use, and must validate.
 *
 * What a block is, is said by a marker comment on the last non-blank line
 * before its fence (invisible when the markdown is rendered):
 *
 *   (no marker)                        a whole server config (ringmon.yaml)
 *   <!-- config: server -->            the same, said explicitly
 *   <!-- config: agent -->             a whole agent.yaml
 *   <!-- config: server at KEY.PATH --> a fragment: the block's value put at
 *   <!-- config: agent at KEY.PATH -->  KEY.PATH of an otherwise empty config
 *                                      (`server at slurpers.instances` for a
 *                                      list of instances, `server at archives`
 *                                      for a `default:` rule)
 *   <!-- not-config: WHY -->           not a configuration at all (WHY required)
 *
 * A server config is loaded by loadConfig (server/config) from a file in an
 * empty folder, with no environment overrides; an agent config by
 * loadAgentConfig (slurpers/agent). The instances of either are then
 * prepared as at start (prepareInstances): each must name a real slurper
 * (the built-in ones and those of slurpers/examples, which the docs use as
 * the folder of "your own" slurpers) with options its schema accepts. A
 * block that fails is reported as `file:line` of its fence with the loader's
 * own message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../server/config/index.js';
import { BUILTIN_SLURPERS } from '../../slurpers/builtin/index.js';
import { loadAgentConfig } from '../../slurpers/agent/agent-config.js';
import { loadSlurperFolder, prepareInstances, slurperRegistry, type LoadedSlurper } from '../../slurpers/index.js';
import { codeBlocks, docFiles, readDoc, ROOT, type CodeBlock } from './markdown-examples.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-doc-yaml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loaded: LoadedSlurper[] = [
  ...BUILTIN_SLURPERS.map((definition) => ({ definition, source: 'built-in' })),
  ...(await loadSlurperFolder(join(ROOT, 'slurpers/examples'))),
];
const registry = slurperRegistry(loaded);

type Kind = { readonly loader: 'server' | 'agent'; readonly at: readonly string[] } | { readonly loader: 'none' };

/** What a marker says the block is; throws for a marker this test does not know. */
function kindOf(block: CodeBlock): Kind {
  const marker = block.marker;
  if (marker === undefined) return { loader: 'server', at: [] };
  if (/^not-config:\s*\S/.test(marker)) return { loader: 'none' };
  const match = /^config:\s*(server|agent)(?:\s+at\s+([A-Za-z][\w.]*))?$/.exec(marker);
  if (!match) throw new Error(`${block.file}:${block.line}: unknown marker <!-- ${marker} --> (see test/docs/yaml-examples.test.ts)`);
  return { loader: match[1] as 'server' | 'agent', at: match[2]?.split('.') ?? [] };
}

let files = 0;
/** The block as a file its loader reads: the text itself, or the fragment placed at its key path. */
function configFile(block: CodeBlock, at: readonly string[]): string {
  const path = join(dir, `example-${++files}.yaml`);
  const text = at.length === 0 ? block.text : stringify(at.reduceRight<unknown>((value, key) => ({ [key]: value }), parse(block.text)));
  writeFileSync(path, text);
  return path;
}

/** Loads the block as what it is; throws the loader's error, prefixed with the block's file:line. */
function validateBlock(block: CodeBlock): void {
  const kind = kindOf(block);
  if (kind.loader === 'none') return;
  try {
    const path = configFile(block, kind.at);
    if (kind.loader === 'server') {
      const config = loadConfig(path, { env: {}, cwd: dir });
      prepareInstances(config.slurpers.instances, registry, (_c, i) => `slurpers.instances[${i}]`);
    } else {
      const config = loadAgentConfig(path, 'docs-host');
      prepareInstances(config.instances, registry, (_c, i) => `instances[${i}]`);
    }
  } catch (e) {
    const problems = (e as { problems?: readonly unknown[] }).problems;
    const detail = problems ? problems.map((p) => (typeof p === 'string' ? p : [(p as { key: string }).key, (p as { message: string }).message].filter(Boolean).join(': '))).join('; ') : (e as Error).message;
    throw new Error(`${block.file}:${block.line}: this ${kind.loader} config ${kind.at.length ? `fragment (at ${kind.at.join('.')}) ` : ''}does not load: ${detail}`);
  }
}

const yamlBlocks = docFiles().flatMap((file) => codeBlocks(file, readDoc(file)).filter((block) => block.lang === 'yaml' || block.lang === 'yml'));

describe('the YAML examples of README.md and docs/', () => {
  it('are found, each with a marker this test knows', () => {
    expect(yamlBlocks.length).toBeGreaterThanOrEqual(10);
    for (const block of yamlBlocks) expect(() => kindOf(block)).not.toThrow();
  });

  it.each(yamlBlocks.map((block) => [`${block.file}:${block.line}`, block] as const))('%s loads', (_where, block) => {
    validateBlock(block);
  });
});

describe('the check of a YAML example', () => {
  const block = (text: string, marker?: string): CodeBlock => ({ file: 'docs/x.md', line: 7, lang: 'yaml', text, marker });

  it('refuses an unmarked block that is not a server config, with file:line and the loader message', () => {
    // The first example of docs/writing-a-slurper.md before issue 13.
    const wrong = block('slurpers:\n  - slurper: uptime\n    name: web01.uptime\n    every: 5m\n');
    expect(() => validateBlock(wrong)).toThrow(/^docs\/x\.md:7: this server config does not load: slurpers: must be a mapping/);
  });

  it('places a fragment at its key and checks the options of its slurper', () => {
    const instances = '- slurper: nagios\n  name: web01.ssh\n  every: 5m\n  options: { command: check_ssh, argz: [] }\n';
    expect(() => validateBlock(block(instances, 'config: server at slurpers.instances'))).toThrow(/docs\/x\.md:7: .*fragment \(at slurpers\.instances\).*argz/);
    expect(() => validateBlock(block(instances.replace('argz', 'args'), 'config: server at slurpers.instances'))).not.toThrow();
  });

  it('loads an agent block with the agent loader', () => {
    const agent = 'name: web01\ninstances:\n  - { slurper: disk, name: web01.disk, every: 1m }\nspool: { maxBytes: 1KiB }\n';
    expect(() => validateBlock(block(agent, 'config: agent'))).toThrow(/agent config does not load: .*spool\.maxBytes/);
    expect(() => validateBlock(block(agent.replace('1KiB', '1MiB'), 'config: agent'))).not.toThrow();
  });

  it('knows no other markers, and wants a reason for not-config', () => {
    expect(() => kindOf(block('a: 1\n', 'config: servre'))).toThrow(/unknown marker/);
    expect(() => kindOf(block('a: 1\n', 'not-config:'))).toThrow(/unknown marker/);
  });
});
