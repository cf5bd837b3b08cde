/**
 * A stand-in for a ringmon process that dies hard: it opens the notifier on
 * the database file, queues notices for the relay on the given port, prints
 * `queued`, and runs until it is killed.
 *
 *   node --import tsx queue-then-hang.ts FILE SMTP_PORT COUNT
 */
import { Notifier } from '../../../../server/notify/index.js';
import { notice, notifySettings, OPS } from './fixtures-data.js';

const [file, port, count] = process.argv.slice(2);
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const notifier = await Notifier.open({ file, notify: notifySettings(Number(port)), recipients: OPS, groupWaitSeconds: 0, log: silent });
for (let i = 0; i < Number(count); i++) await notifier.notify(['ops'], [notice({ series: `killed.${i}` })]);
process.stdout.write('queued\n');
setInterval(() => undefined, 60_000);
