/**
 * The files a reshape names: each FILE argument as given, or, when it does
 * not exist and its last part holds a wildcard (* ? [...]), the matching
 * files of its folder in name order. A pattern that matches nothing is an
 * error naming it, as is a wildcard in a folder part.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CommandError } from '../errors.js';

const WILDCARD = /[*?[]/;

function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        const body = pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = close;
      }
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function expandFileArguments(args: readonly string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    if (existsSync(arg) || !WILDCARD.test(basename(arg))) {
      files.push(arg);
      continue;
    }
    const dir = dirname(arg);
    if (WILDCARD.test(dir)) throw new CommandError(`${arg}: wildcards are only expanded in the file name, not in folders`);
    const match = patternToRegExp(basename(arg));
    const found = readdirSync(dir)
      .filter((name) => match.test(name) && !name.startsWith('.'))
      .sort()
      .map((name) => (dir === '.' && !arg.startsWith('./') ? name : join(dir, name)));
    if (found.length === 0) throw new CommandError(`${arg}: no file matches`);
    files.push(...found);
  }
  return files;
}
