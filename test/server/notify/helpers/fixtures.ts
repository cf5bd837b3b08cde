/**
 * What the notifier tests share: a temporary directory of database files,
 * notices, settings with short retries, a logger that keeps what it is
 * told, a real SMTP server for a test file; waiting comes from
 * test/helpers/wait.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { SmtpSink } from '../../../helpers/smtp-sink.js';

export * from './fixtures-data.js';
export { sleep, until } from '../../../helpers/wait.js';

/** A fresh directory, removed after the test file; newFile() names a database file in it. */
export function tempFiles(): { dir: string; newFile: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-notify-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return { dir, newFile: () => join(dir, `n${++n}.sqlite`) };
}

/** A real SMTP server on 127.0.0.1 for the test file: `.sink` once its tests run, stopped after them. */
export function suiteSmtpSink(): { readonly sink: SmtpSink } {
  const suite: { sink?: SmtpSink } = {};
  beforeAll(async () => {
    suite.sink = await SmtpSink.start();
  });
  afterAll(async () => {
    await suite.sink?.stop();
  });
  return {
    get sink(): SmtpSink {
      if (suite.sink === undefined) throw new Error('the SMTP sink starts before the tests');
      return suite.sink;
    },
  };
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string;
}

/** A pino-like logger keeping every line. */
export function memoryLog(): { lines: LogLine[]; info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
}

