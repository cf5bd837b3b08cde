/**
 * Child process of the agent registry's file tests (run under strace):
 * opens the registry at argv[2], records one heartbeat and closes it, which
 * writes the file once.
 */
import { AgentRegistry } from '../../../server/agents/index.js';

const registry = AgentRegistry.open(process.argv[2], { log: { warn: () => undefined, error: () => undefined } });
registry.record({ name: 'edge-1', hostname: 'edge-1.example', version: '0.1.0', spooledSamples: 0, instances: [] }, 'token-a', 100);
await registry.close();
