/**
 * The examples of the user documentation (README.md and docs/*.md), as the
 * doc tests read them: fenced code blocks with their language, the line of
 * their opening fence and the marker comment before them, and every
 * `ringmon ...` command line, in code blocks and in inline code.
 *
 * A marker is an HTML comment on the last non-blank line before a fence
 * (`<!-- config: agent -->`); markdown renderers show nothing of it. What
 * the markers mean is the business of the test that reads the blocks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/** One fenced block: `file:line` of its opening fence, its language, its text (indentation removed) and its marker. */
export interface CodeBlock {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  /** The text inside `<!-- ... -->` just before the fence, trimmed; undefined when there is none. */
  readonly marker: string | undefined;
}

/** README.md and every docs/*.md, as paths from the repository root. */
export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

/** The fenced blocks of `markdown`, named as in `file`. An unclosed fence is an error (a doc mistake worth seeing). */
export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, lang] = open;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    if (end === lines.length) throw new Error(`${file}:${i + 1}: code block never closed`);
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = before >= 0 ? /^\s*<!--\s*(.*?)\s*-->\s*$/.exec(lines[before])?.[1] : undefined;
    const body = lines.slice(i + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    blocks.push({ file, line: i + 1, lang, text: body.length ? `${body.join('\n')}\n` : '', marker });
    i = end;
  }
  return blocks;
}

/** One `ringmon` command line as written in a doc: where, and its words from `ringmon` on. */
export interface CommandExample {
  readonly where: string;
  readonly words: readonly string[];
}

/** The words of one shell line from `ringmon` on, up to what ends a command (a pipe, a redirection, a comment, `)`). */
function commandWords(text: string): string[] | undefined {
  const words: string[] = [];
  for (const word of text.trim().split(/\s+/)) {
    if (/^(\||>|2>|#|&&|;|\)|\\)$/.test(word) || word.startsWith('#')) break;
    words.push(word.replace(/[)`;]+$/, '').replace(/^\[|\]$/g, ''));
  }
  // `ringmon agent: invalid configuration ...` quotes an error message, not a command.
  return words.length >= 2 && /^[a-z][a-z-]*$/.test(words[1]) ? words : undefined;
}

/**
 * Every `ringmon COMMAND ...` of `markdown`: in shell-like code blocks (sh,
 * ini, unlabelled; continuation lines joined) and in inline code spans.
 */
export function commandExamples(file: string, markdown: string): CommandExample[] {
  const found: CommandExample[] = [];
  const take = (where: string, text: string): void => {
    // At the start of a command: the line's start, after npx (ExecStart=/usr/bin/npx ...), or in $(...).
    for (const match of text.matchAll(/(?:^\s*|npx |\$\()ringmon (?=[a-z])/g)) {
      const words = commandWords(text.slice(match.index + match[0].indexOf('ringmon')));
      if (words) found.push({ where, words });
    }
  };
  for (const block of codeBlocks(file, markdown)) {
    if (!['sh', 'bash', 'ini', ''].includes(block.lang)) continue;
    // A line ending in a backslash goes on in the next; the command is named by the line it starts on.
    const lines = block.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const start = i;
      let line = lines[i];
      while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]}`;
      take(`${file}:${block.line + 1 + start}`, line);
    }
  }
  // Inline code outside fenced blocks: blank out the blocks, keep the line numbers.
  let prose = markdown;
  for (const block of codeBlocks(file, markdown)) {
    const lines = prose.split('\n');
    const count = block.text.split('\n').length;
    for (let i = block.line - 1; i <= block.line + count - 1; i++) lines[i] = '';
    prose = lines.join('\n');
  }
  for (const span of prose.matchAll(/`([^`]+)`/g)) {
    const line = prose.slice(0, span.index).split('\n').length;
    const text = span[1].replace(/\s+/g, ' ');
    if (text.startsWith('ringmon ') || text.startsWith('npx ringmon ')) take(`${file}:${line}`, text);
  }
  return found;
}

/** The text of a doc file, by its path from the repository root. */
export function readDoc(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}
