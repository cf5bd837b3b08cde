/** Notices and settings for the notifier tests, free of vitest so a child process can use them too. */
import type { ServerConfig } from '../../../../server/config/index.js';
import type { AlarmNotice } from '../../../../server/notify/index.js';

export const T = 1_796_112_000; // 2026-12-01T08:00:00Z

export function notice(over: Partial<AlarmNotice> = {}): AlarmNotice {
  return {
    kind: 'problem',
    series: 'host.web01.cpu.user',
    rule: 'cpu',
    status: 'CRITICAL',
    previous: 'OK',
    since: T - 300,
    at: T,
    value: 97.2,
    threshold: '> 95',
    graphUrl: 'http://ringmon.example/graph?series=host.web01.cpu.user',
    ...over,
  };
}

/** notify settings for a relay on 127.0.0.1:`port` with 1 s retries and 2 s timeouts. */
export function notifySettings(port: number, over: Partial<ServerConfig['notify']> = {}): ServerConfig['notify'] {
  return {
    email: { host: '127.0.0.1', port, secure: false, starttls: 'never', allowPlainAuth: false, from: 'ringmon@test.example', timeout: 2 },
    webhook: { timeout: 2 },
    retry: { initial: 1, max: 1 },
    keep: 90 * 86_400,
    ...over,
  };
}

export type Recipients = ServerConfig['alarms']['recipients'];

export const OPS: Recipients = [{ name: 'ops', email: ['ops@test.example'], webhook: [] }];
