/**
 * A real server for an HTTP test: its config written to a fresh folder as
 * YAML, loaded, a writer, a viewer and an admin token added, started; stop()
 * closes it and removes the folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig, type ServerConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';

export interface TestServer {
  readonly server: RunningServer;
  readonly config: ServerConfig;
  readonly tokens: { readonly writer: string; readonly viewer: string; readonly admin: string };
  stop(): Promise<void>;
}

/** Starts a server whose ringmon.yaml is `yaml` (paths in it relative to a fresh folder). */
export async function startTestServer(yaml: string): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-server-'));
  writeFileSync(join(dir, 'ringmon.yaml'), yaml);
  const config = loadConfig(join(dir, 'ringmon.yaml'), { cwd: dir, env: {} });
  const tokens = {
    writer: addToken(config.auth.tokensFile, 'bot', 'writer'),
    viewer: addToken(config.auth.tokensFile, 'eve', 'viewer'),
    admin: addToken(config.auth.tokensFile, 'ops', 'admin'),
  };
  const server = await startServer(config);
  return {
    server,
    config,
    tokens,
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
