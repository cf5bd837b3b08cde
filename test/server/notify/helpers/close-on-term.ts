/**
 * A stand-in for `ringmon serve` stopping on SIGTERM while its relay is
 * down: it opens the notifier on the database file, queues a notice to two
 * addresses for the relay on the given port, prints `failing` once that
 * many attempts have failed, and on SIGTERM closes the notifier (as the
 * server's shutdown does) and exits 0.
 *
 *   node --import tsx close-on-term.ts FILE SMTP_PORT RETRY_SECONDS FAILURES
 */
import { Notifier } from '../../../../server/notify/index.js';
import { notice, notifySettings } from './fixtures-data.js';

const [file, port, retry, failures] = process.argv.slice(2);
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const notifier = await Notifier.open({
  file,
  notify: notifySettings(Number(port), { retry: { initial: Number(retry), max: Number(retry) } }),
  recipients: [{ name: 'ops', email: ['ops@test.example', 'oncall@test.example'], webhook: [] }],
  groupWaitSeconds: 0,
  log: silent,
});
process.once('SIGTERM', () => {
  void notifier.close().then(() => process.exit(0));
});
await notifier.notify(['ops'], [notice({ series: 'term.0' })]);
const poll = setInterval(() => {
  if (notifier.stats().retries < Number(failures)) return;
  clearInterval(poll);
  void notifier.notify(['ops'], [notice({ series: 'term.1' })]).then(() => process.stdout.write('failing\n'));
}, 20);
setInterval(() => undefined, 60_000);
