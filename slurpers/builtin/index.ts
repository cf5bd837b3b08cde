/**
 * The built-in slurpers: one explicit list. The host refuses duplicate names
 * at start, and a user's slurper folder may not reuse these names.
 */
import type { SlurperDefinition } from '../contract.js';
import disk from './disk.js';
import host from './host.js';
import http from './http.js';
import json from './json.js';
import munin from './munin.js';
import nagios from './nagios.js';
import ping from './ping.js';
import processSlurper from './process.js';
import prometheus from './prometheus.js';
import tcp from './tcp.js';

// Each definition's options type differs; the list holds them by the common contract.
export const BUILTIN_SLURPERS: readonly SlurperDefinition[] = [http, tcp, ping, processSlurper, disk, host, nagios, munin, prometheus, json] as readonly SlurperDefinition[];
