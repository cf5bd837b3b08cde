/**
 * A report that embeds a heatmap, end to end: a real `ringmon serve` on a
 * fresh data directory, three UTC days of hourly error rates of three
 * brokers imported over HTTP (test/helpers/heatmap-days.ts, the grid and
 * its colours derived by hand), a real SMTP server on 127.0.0.1.
 *
 * The mail parsed by mailparser is multipart/related with an inline PNG
 * whose Content-ID the HTML shows (`cid:`); that PNG decoded by pngjs (not
 * ringmon's code) has every cell in its class colour. The PNG is archived
 * beside the CSV and HTML, listed and downloaded as image/png, and the
 * archived HTML shows it by relative name. A mail the outbox accepted while
 * the relay was down arrives after a restart with its picture. A report
 * naming a view heatmaps.views lacks stops `ringmon serve` and fails
 * `ringmon config check`, naming reports[0].heatmaps[1].
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { PNG } from 'pngjs';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { BROKER_VIEW, DAY, EXPECTED_COLOURS, firstDay, HEATMAP_ARCHIVES, heatmapSamples } from '../../helpers/heatmap-days.js';
import { launcherInTempDir, type ServedFolder } from '../../helpers/ringmon-process.js';
import { NO_SLURPERS, testServerYaml } from '../../helpers/server-config.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { until } from '../../helpers/wait.js';

const { dir, launcher } = launcherInTempDir('ringmon-report-heatmap-');
const D0 = firstDay();
/** The run's window ends where the three days end: the view's 3d range then covers exactly them. */
const RUN = `/api/v1/reports/daily/run?from=${D0 + 2 * DAY}&to=${D0 + 3 * DAY}`;
/** The heatmap's default cell (server/heatmap DEFAULT_CELL). */
const CELL = { width: 16, height: 12 };

let smtp: SmtpSink;
let served: ServedFolder;
let admin = '';
let viewer = '';
const tokensFile = join(dir, 'tokens');

const reportConfig = (smtpPort: number, heatmaps: readonly string[]) => ({
  archives: { default: HEATMAP_ARCHIVES },
  metadata: { file: join(dir, 'nodes.yaml'), key: 'broker.{node}.*' },
  heatmaps: { views: [BROKER_VIEW] },
  alarms: { groupWait: 0, recipients: [{ name: 'ops', email: ['ops@test.example'] }] },
  notify: { email: { host: '127.0.0.1', port: smtpPort, starttls: 'never', from: 'ringmon@test.example' }, retry: { initial: '1s', max: '1s' } },
  reports: [{ name: 'daily', cron: '30 0 * * *', notify: ['ops'], title: 'Broker review', heatmaps }],
});

/** The colour of each cell, checking every pixel of it is that colour. */
function cellColours(png: PNG, rows: number, columns: number): string[][] {
  const out: string[][] = [];
  for (let row = 0; row < rows; row++) {
    out.push([]);
    for (let col = 0; col < columns; col++) {
      const seen = new Set<string>();
      for (let y = row * CELL.height; y < (row + 1) * CELL.height; y++) {
        for (let x = col * CELL.width; x < (col + 1) * CELL.width; x++) {
          const i = (y * png.width + x) * 4;
          seen.add(`#${[png.data[i], png.data[i + 1], png.data[i + 2]].map((n) => n.toString(16).padStart(2, '0')).join('')}`);
        }
      }
      out[row].push([...seen].join('/'));
    }
  }
  return out;
}

/** The raw message parsed again by mailparser, cid: links kept (by default it turns them into data: URLs). */
const parsed = (raw: string): Promise<ParsedMail> => simpleParser(raw, { keepCidLinks: true });

/** The inline PNG the HTML shows: its Content-ID is the one in `<img src="cid:...">`. */
async function inlineHeatmap(raw: string): Promise<{ mail: ParsedMail; png: PNG; cid: string }> {
  const mail = await parsed(raw);
  const html = typeof mail.html === 'string' ? mail.html : '';
  const cid = /<img src="cid:([^"]+)"/.exec(html)?.[1];
  expect(cid, html).toBeDefined();
  const part = mail.attachments.find((a) => a.contentId === `<${cid}>`);
  expect(part, `a part with Content-ID <${cid}>`).toBeDefined();
  expect(part?.contentType).toBe('image/png');
  expect(part?.related).toBe(true);
  return { mail, png: PNG.sync.read(part!.content), cid: cid! };
}

beforeAll(async () => {
  smtp = await SmtpSink.start(0);
  admin = addToken(tokensFile, 'root', 'admin');
  viewer = addToken(tokensFile, 'reader', 'viewer');
  writeFileSync(join(dir, 'nodes.yaml'), 'a:\n  name: Broker A\nc:\n  name: Broker C\n');
  served = await launcher.serveIn(dir, { tokensFile, log: 'warn' }, NO_SLURPERS, reportConfig(smtp.port, ['broker-errors']));
  expect((await apiCall(served.base, 'POST', '/api/v1/samples', admin, heatmapSamples(D0))).status).toBe(200);
  expect((await apiCall(served.base, 'POST', '/api/v1/admin/flush', admin)).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await smtp?.stop();
});

describe('a report with a heatmap', () => {
  let subject = '';

  beforeAll(async () => {
    const res = await apiCall(served.base, 'POST', RUN, admin);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    subject = res.json.subject;
    await until(() => smtp.received.some((m) => m.subject === subject), 'the report mail', 60_000);
  }, 90_000);

  it('mails the heatmap inline: multipart/related, the HTML shows it by Content-ID, each cell in its class colour', async () => {
    const received = smtp.received.find((m) => m.subject === subject)!;
    expect(received.raw).toMatch(/Content-Type: multipart\/related/i);
    const { mail, png, cid } = await inlineHeatmap(received.raw);
    expect(cid).toMatch(/^heatmap-broker-errors\.daily-\d{4}-\d\d-\d\dT\d{4}Z@ringmon$/);
    expect([png.width, png.height]).toEqual([3 * CELL.width, 3 * CELL.height]);
    expect(cellColours(png, 3, 3)).toEqual(EXPECTED_COLOURS);
    // The rows named in order, display names from the metadata; the CSV still attached.
    const html = String(mail.html);
    expect(html).toContain('<h2>Broker error rate</h2>');
    expect(html).toMatch(/<ol><li>Broker A \(broker\.a\.error_rate\)<\/li><li>broker\.b\.error_rate<\/li><li>Broker C \(broker\.c\.error_rate\)<\/li><\/ol>/);
    expect(mail.attachments.some((a) => a.contentType === 'text/csv' && a.filename?.endsWith('.csv'))).toBe(true);
    // The text body says where to find the picture.
    expect(mail.text).toMatch(/Heatmap Broker error rate: From .* The picture is in the HTML part of this mail and archived as daily-\d{4}-\d\d-\d\dT\d{4}Z-broker-errors\.png \(GET \/api\/v1\/reports\/daily\/runs\/daily-[^)]+\.png\)/);
  });

  it('archives the PNG beside the CSV and HTML, downloadable as image/png, shown in the archived HTML by relative name', async () => {
    const listing = await apiCall(served.base, 'GET', '/api/v1/reports', viewer);
    const files: { kind: string; file: string; url: string }[] = listing.json.reports[0].runs[0].files;
    expect(files.map((f) => f.kind)).toEqual(['html', 'csv', 'png']);
    const image = files.find((f) => f.kind === 'png')!;
    expect(image.file).toMatch(/^daily-\d{4}-\d\d-\d\dT\d{4}Z-broker-errors\.png$/);
    const res = await request(`${served.base}${image.url}`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await res.body.arrayBuffer()));
    expect(cellColours(png, 3, 3)).toEqual(EXPECTED_COLOURS);
    expect(statSync(join(served.dataDir, 'reports', image.file)).mode & 0o777).toBe(0o600);
    const html = await request(`${served.base}${files.find((f) => f.kind === 'html')!.url}`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(html.headers['content-security-policy']).toContain("img-src 'self'");
    const text = await html.body.text();
    expect(text).toContain(`<img src="${image.file}"`);
    expect(text).not.toContain('cid:');
    // A name of that form with a `..` or another report's name is refused.
    expect((await apiCall(served.base, 'GET', `/api/v1/reports/daily/runs/${image.file.replace('broker-errors', 'nope')}`, viewer)).status).toBe(404);
    expect((await apiCall(served.base, 'GET', `/api/v1/reports/daily/runs/${encodeURIComponent(image.file.replace('broker-errors', '..%2fx'))}`, viewer)).status).toBe(400);
  });

  it('keeps the picture with the outbox row: queued while the relay is down, it arrives after a restart', async () => {
    const port = smtp.port;
    await smtp.stop();
    const res = await apiCall(served.base, 'POST', `/api/v1/reports/daily/run?from=${D0 + DAY}&to=${D0 + 3 * DAY}`, admin);
    expect(res.status).toBe(200);
    const queued = await apiCall(served.base, 'GET', '/api/v1/notifications?status=pending', admin);
    expect(queued.json.notifications.length, JSON.stringify(queued.json)).toBeGreaterThan(0);
    served.proc.stop();
    await served.proc.exited;
    smtp = await SmtpSink.start(port);
    served = { ...served, proc: await launcher.serve(served.config, served.base) };
    await until(() => smtp.received.length > 0, 'the queued report mail after the restart', 60_000);
    const { png } = await inlineHeatmap(smtp.received[0].raw);
    expect(cellColours(png, 3, 3)).toEqual(EXPECTED_COLOURS);
  }, 150_000);
});

describe('a report naming a view heatmaps.views lacks', () => {
  it('stops ringmon serve and fails ringmon config check, naming reports[0].heatmaps[1]', async () => {
    const folder = join(dir, 'bad');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, testServerYaml({ port: 1, dataDir: folder, tokensFile, log: 'warn' }, NO_SLURPERS, reportConfig(2525, ['broker-errors', 'no-such-view'])));
    const served = launcher.run(['serve', '--config', file]);
    expect(await served.exited).not.toBe(0);
    expect(served.output()).toMatch(/reports\[0\]\.heatmaps\[1\].*no heatmap view 'no-such-view' in heatmaps\.views \(configured: broker-errors\)/);
    const check = launcher.run(['config', 'check', file]);
    expect(await check.exited).not.toBe(0);
    expect(check.output()).toContain('reports[0].heatmaps[1]');
  }, 90_000);
});
