/** `ringmon agent`: runs slurpers on this host and pushes their samples to a ringmon server, until SIGINT or SIGTERM. */
import { pino } from 'pino';
import { loadAgentConfig, type AgentConfig } from '../slurpers/agent/agent-config.js';
import { loadAgentSlurpers, prepareAgentInstances } from '../slurpers/agent/agent-slurpers.js';
import { startAgent } from '../slurpers/agent/agent.js';
import { readTokenFile } from '../slurpers/agent/server-client.js';
import type { ScheduledInstance } from '../slurpers/host/prepare-instances.js';
import { SchemaError } from '../slurpers/host/options.js';
import { SlurperLoadError } from '../slurpers/host/load-slurpers.js';
import { packageVersion } from './agent/package-version.js';
import { untilSignal } from './agent/until-signal.js';
import { defineCommand } from './command.js';
import { CommandError, UsageError } from './errors.js';

const HELP = `Usage: ringmon agent --server URL --token-file FILE --config agent.yaml

Runs the slurper instances of agent.yaml on this host and pushes their
samples to the ringmon server at URL. Every batch is first written to an
on-disk spool (spool.dir, at most spool.maxBytes); while the server cannot
be reached the agent keeps collecting into the spool and sends the backlog,
in order, once the server answers again. When the spool is full the oldest
samples are dropped, logged and counted. A heartbeat every heartbeatSeconds
tells the server the agent is alive (GET /api/v1/agents lists agents).

The config is validated before anything starts; every problem is reported
on one line, with the key it concerns. Logs are JSON lines on stdout.
SIGINT or SIGTERM stops collecting, sends what the server takes within
upload.stopDrainSeconds, and keeps the rest spooled for the next start.

Options:
  -s, --server URL         the server, e.g. http://ringmon.example:8080 (env RINGMON_URL)
  -t, --token-file FILE    a file holding an ingest token, mode 0600 (env RINGMON_TOKEN_FILE)
  -c, --config FILE        the agent config (YAML, see docs/agents.md)
  -h, --help               show this help

Environment: RINGMON_LOG_LEVEL (info by default: debug, warn, error, silent).

Examples:
  ringmon agent --server http://ringmon:8080 --token-file /etc/ringmon/agent.token --config /etc/ringmon/agent.yaml
  RINGMON_URL=http://ringmon:8080 RINGMON_TOKEN_FILE=agent.token ringmon agent -c agent.yaml
`;

function serverUrl(text: string | undefined): string {
  if (text === undefined) throw new UsageError('missing --server URL (or RINGMON_URL)');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--server: '${text}' is not a URL; give one such as http://ringmon.example:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server: '${text}' must start with http:// or https://`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** The config and its instances ready to run, or a CommandError with every problem on one line. */
async function prepare(configFile: string): Promise<{ config: AgentConfig; instances: ScheduledInstance[] }> {
  try {
    const config = loadAgentConfig(configFile);
    const instances = prepareAgentInstances(config.instances, await loadAgentSlurpers(config.slurperDirs));
    return { config, instances };
  } catch (e) {
    if (e instanceof SchemaError) throw new CommandError(`invalid configuration in ${configFile}: ${e.problems.join('; ')}`);
    if (e instanceof SlurperLoadError) throw new CommandError(`cannot load the slurpers of ${configFile}: ${e.message.split('\n').join('; ')}`);
    throw e;
  }
}

export const agentCommand = defineCommand({
  name: 'agent',
  summary: 'run slurpers on this host and push their samples to a server',
  help: HELP,
  options: { server: { type: 'string', short: 's' }, 'token-file': { type: 'string', short: 't' }, config: { type: 'string', short: 'c' } },
  positionals: [],
  async run({ values }) {
    const url = serverUrl(values.server ?? process.env.RINGMON_URL);
    const tokenFile = values['token-file'] ?? process.env.RINGMON_TOKEN_FILE;
    if (tokenFile === undefined) throw new UsageError('missing --token-file FILE (or RINGMON_TOKEN_FILE)');
    if (values.config === undefined) throw new UsageError('missing --config FILE');
    await readTokenFile(tokenFile).catch((e: Error) => {
      throw new CommandError(e.message);
    });
    const { config, instances } = await prepare(values.config);
    const log = pino({ level: process.env.RINGMON_LOG_LEVEL ?? 'info', base: { agent: config.name } }, process.stdout);
    const agent = await startAgent({ config, instances, server: { url, tokenFile }, log, version: packageVersion() });
    const signal = await untilSignal(['SIGINT', 'SIGTERM']);
    log.info({ signal }, 'signal received; stopping');
    await agent.stop();
  },
});
