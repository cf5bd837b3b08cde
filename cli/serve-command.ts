/** `ringmon serve`: runs the server until SIGINT or SIGTERM, then shuts down cleanly. */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../server/config/index.js';
import { DataDirLockedError } from '../server/data-dir/index.js';
import { DatabaseFileError } from '../server/database/index.js';
import { startServer } from '../server/index.js';
import { defineCommand } from './command.js';
import { CommandError } from './errors.js';

const HELP = `Usage: ringmon serve [--config FILE]

Runs the ringmon server. Without a config file it runs on built-in defaults:
listens on 127.0.0.1:8080 and keeps everything under ./data. The config
(YAML, see docs/configuration.md) is validated before anything starts; every
problem is reported with the key it concerns, and the server does not start.

Environment: RINGMON_LISTEN_HOST, RINGMON_LISTEN_PORT and RINGMON_DATA_DIR
override the config file.

Writes and admin requests need a token from the token file (default
./data/tokens; see 'ringmon token add --help'). SIGINT or SIGTERM stops the
server after the requests in flight and flushes everything to disk. SIGHUP
re-reads the config file and checks it as 'ringmon config check' does: a
bad file is logged with its key and the running config is kept; a valid
one has its alarm rules and recipients applied at once (alarm states are
kept), and what else changed is logged as needing a restart.
POST /api/v1/admin/reload does the same.

Options:
  -c, --config FILE   the configuration file
  -h, --help          show this help

Examples:
  ringmon serve
  ringmon serve --config /etc/ringmon/ringmon.yaml
  RINGMON_LISTEN_PORT=9090 ringmon serve
`;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'run the server (ingest, query, alarms, web client)',
  help: HELP,
  options: { config: { type: 'string', short: 'c' } },
  positionals: [],
  async run({ values }) {
    const config = loadConfig(values.config);
    // Listening for signals before the start: one that comes while it is under way (the port is already open) waits for it, then shuts down cleanly.
    let received: NodeJS.Signals | undefined;
    let wake: (() => void) | undefined;
    const stop = (signal: NodeJS.Signals): void => {
      received = signal;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      wake?.();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // SIGHUP re-reads the config (server/reload/reloader.ts: it never rejects for a bad file); one during the start is ignored, never fatal.
    let reload: (() => Promise<unknown>) | undefined;
    const hangup = (): void => void reload?.();
    process.on('SIGHUP', hangup);
    let server;
    try {
      server = await startServer(config, { version: packageVersion(), reloadFrom: { file: values.config } });
    } catch (e) {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGHUP', hangup);
      // Their messages name the file or folder and what to do: one line, no stack.
      throw e instanceof DatabaseFileError || e instanceof DataDirLockedError ? new CommandError(e.message) : e;
    }
    reload = server.reload;
    if (received === undefined) await new Promise<void>((resolve) => (wake = resolve));
    process.off('SIGHUP', hangup);
    server.app.log.info({ signal: received }, 'signal received');
    await server.close();
  },
});
