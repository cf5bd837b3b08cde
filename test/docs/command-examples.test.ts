/**
 * Every `ringmon ...` command line of README.md and docs/*.md (in sh and
 * ini code blocks and in inline code) names a real command and real
 * options: the words after `ringmon` must walk down the command groups as
 * `ringmon [GROUP...] --help` lists them (a real `bin/ringmon.js` process
 * each), and every option written (`--config`, `-c`, `--role=viewer`) must
 * appear in the help of the command it is given to. Values of options and
 * positional arguments are not checked here: the examples' data (archives,
 * servers, tokens) do not exist on the test machine.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commandExamples, docFiles, readDoc, ROOT, type CommandExample } from './markdown-examples.js';

const run = promisify(execFile);
const helps = new Map<string, Promise<string>>();

/** `ringmon ...path --help` from a real process; rejects when it does not exit 0. */
function helpOf(path: readonly string[]): Promise<string> {
  const key = path.join(' ');
  let help = helps.get(key);
  if (help === undefined) {
    help = run(process.execPath, [join(ROOT, 'bin', 'ringmon.js'), ...path, '--help'], { cwd: ROOT, timeout: 30_000 }).then((r) => r.stdout);
    helps.set(key, help);
  }
  return help;
}

/** The commands a group's help lists under "Commands:"; empty for a leaf command. */
function commandsIn(help: string): string[] {
  const at = help.indexOf('\nCommands:\n');
  if (at === -1) return [];
  const names: string[] = [];
  for (const line of help.slice(at + 11).split('\n')) {
    const match = /^ {2}([a-z][a-z0-9-]*)\s/.exec(line);
    if (!match) break;
    names.push(match[1]);
  }
  return names;
}

/** What is wrong with one documented command line: an unknown command, or an option its help does not list. */
async function commandProblems(words: readonly string[]): Promise<string[]> {
  const path: string[] = [];
  let rest = words.slice(1);
  for (;;) {
    const commands = commandsIn(await helpOf(path));
    if (commands.length === 0) break;
    const next = rest[0];
    // A mention of a group by itself ("`ringmon archive` takes rrdtool's arguments") is fine.
    if (next === undefined) return [];
    if (!commands.includes(next)) return [`'${['ringmon', ...path, next].join(' ')}': no such command (ringmon ${[...path, '--help'].join(' ')} lists ${commands.join(', ')})`];
    path.push(next);
    rest = rest.slice(1);
  }
  const help = await helpOf(path);
  const problems: string[] = [];
  for (const word of rest) {
    const option = /^(--?[A-Za-z][\w-]*)/.exec(word)?.[1];
    if (option === undefined) continue;
    const listed = new RegExp(`(^|[\\s,\\[])${option}(?=[\\s,=\\]]|$)`, 'm').test(help);
    if (!listed) problems.push(`'ringmon ${path.join(' ')}' has no option ${option} (not in its --help)`);
  }
  return problems;
}

const examples: CommandExample[] = docFiles().flatMap((file) => commandExamples(file, readDoc(file)));

describe('the ringmon command lines of README.md and docs/', () => {
  it('are found', () => {
    expect(examples.length).toBeGreaterThanOrEqual(50);
  });

  it.each(examples.map((example) => [`${example.where}: ${example.words.join(' ')}`, example] as const))('%s', async (_name, example) => {
    expect(await commandProblems(example.words), example.where).toEqual([]);
  });
});

describe('the check of a command line', () => {
  it('refuses a command that does not exist and an option the command does not take', async () => {
    expect(await commandProblems(['ringmon', 'serv'])).toEqual([expect.stringMatching(/'ringmon serv': no such command .*lists .*serve/)]);
    expect(await commandProblems(['ringmon', 'archive', 'fetch', 'a.rma', 'AVERAGE', '--begin', '-1d'])).toEqual([
      "'ringmon archive fetch' has no option --begin (not in its --help)",
    ]);
    expect(await commandProblems(['ringmon', 'serve', '-c', 'x.yaml', '--config=x.yaml'])).toEqual([]);
  });
});
