/**
 * The notification tables share the database file with the other parts:
 * made from nothing by their own migrations, recorded in notify_migration,
 * and left alone by the other parts' migrations.
 */
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Downtimes } from '../../../server/downtimes/index.js';
import { Notifier } from '../../../server/notify/index.js';
import { memoryLog, notice, notifySettings, OPS, tempFiles } from './helpers/fixtures.js';

const files = tempFiles();

describe('the notification tables', () => {
  it('are created in the shared file beside the downtimes, each part with its own migration table', async () => {
    const file = files.newFile();
    const downtimes = await Downtimes.open(file, { maxWindowSeconds: 86_400 });
    const options = { file, notify: notifySettings(1), recipients: OPS, groupWaitSeconds: 3600, log: memoryLog() };
    const first = await Notifier.open(options);
    await first.notify(['ops'], [notice()]);
    await first.close();
    const second = await Notifier.open(options);
    expect(second.stats().queued).toBe(1);
    await second.close();
    await downtimes.close();

    const raw = new SQLite(file, { readonly: true });
    try {
      const tables = raw.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['downtimes', 'kysely_migration', 'notify_items', 'notify_messages', 'notify_migration']));
      expect(raw.prepare('select name from notify_migration').pluck().all()).toEqual(['2026-11-24-create-notify', '2026-12-08-to-cc']);
      expect(raw.prepare('select name from kysely_migration').pluck().all()).toEqual(['2026-11-24-create-downtimes']);
      const item = raw.prepare('select recipient, channel, address, kind, message_id from notify_items').get();
      expect(item).toEqual({ recipient: 'ops', channel: 'email', address: 'ops@test.example', kind: 'alarm', message_id: null });
    } finally {
      raw.close();
    }
  });
});
