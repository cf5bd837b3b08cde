/** `graphite`: the Graphite plaintext listener (`name value timestamp` lines over TCP). */
import { BlockList, isIP } from 'node:net';
import { Type } from 'typebox';
import { defineSection, durationSeconds, port, strictObject, type SectionValue } from '../config-schema/index.js';

/**
 * Graphite's plaintext protocol port; off unless enabled. The protocol has
 * no token, so the listener bounds what a stranger can hold: connections
 * idle for `idleTimeout` seconds are closed (long enough for a collector
 * sending every minute, with a few intervals missed), at most
 * `maxConnections` are open at once, and `allow`, when given, names the
 * only client addresses served.
 */
export const DEFAULT_GRAPHITE = { enabled: false, host: '127.0.0.1', port: 2003, idleTimeoutSeconds: 300, maxConnections: 1000 } as const;

export const graphiteSection = defineSection({
  schema: strictObject(
    {
      enabled: Type.Boolean({ default: DEFAULT_GRAPHITE.enabled }),
      host: Type.String({ minLength: 1, default: DEFAULT_GRAPHITE.host }),
      port: port(DEFAULT_GRAPHITE.port),
      idleTimeout: durationSeconds({ minimum: 1, maximum: 86400, default: DEFAULT_GRAPHITE.idleTimeoutSeconds }),
      maxConnections: Type.Integer({ minimum: 1, maximum: 1_000_000, default: DEFAULT_GRAPHITE.maxConnections }),
      /** Addresses (`192.0.2.7`, `::1`) and networks (`10.0.0.0/8`, `fd00::/8`); absent: every client. */
      allow: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    },
    { default: {} },
  ),
  check: (value, report) => {
    value.allow?.forEach((entry, i) => {
      const problem = addressProblem(entry);
      if (problem !== undefined) report(['allow', i], problem);
    });
  },
});

/** The `graphite` section as loaded. */
export type GraphiteSettings = SectionValue<typeof graphiteSection.schema>;

/** Why `entry` is not an address or a network in CIDR form; undefined when it is one. */
function addressProblem(entry: string): string | undefined {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  const expected = `must be an IP address or a network in CIDR form (192.0.2.7, 10.0.0.0/8, fd00::/8), got "${entry.slice(0, 80)}"`;
  if (family === 0 || rest.length > 0) return expected;
  if (bits === undefined) return undefined;
  const maxBits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > maxBits) return `${expected}: the prefix length must be 0-${maxBits}`;
  return undefined;
}

/**
 * The clients `allow` admits, as a BlockList (an IPv4 client seen on a
 * dual-stack socket as `::ffff:192.0.2.7` matches its IPv4 entry).
 * Entries must have passed the section's check.
 */
export function allowList(allow: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of allow) {
    const [address, bits] = entry.split('/');
    const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}
