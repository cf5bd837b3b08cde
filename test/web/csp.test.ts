/**
 * The web client under the server's Content-Security-Policy in headless
 * Chromium: the overview, the graph (with a hover card), the downtimes view
 * and /docs load and work with no CSP violation reported (neither a
 * `securitypolicyviolation` event nor a CSP message on the console, nor an
 * uncaught error), the page's own
 * styles apply, and a script injected inline is refused.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pixelOf } from './helpers/chart-probe.js';
import { launchBrowser, pageWithToken } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

let web: WebTestServer;
let browser: Browser;
const NOW = Math.floor(Date.now() / 1000 / 10) * 10;
const DOWNTIME = { start: NOW - 1200, end: NOW - 600 };
const RULES = ['alarms:', '  rules:', '    - name: load-high', '      match: csp.*.load', '      critical: "> 10"'].join('\n');

interface Watched {
  readonly page: Page;
  /** Violations reported in the page, and console errors, so far. */
  problems(): Promise<string[]>;
}

/** A page that records every CSP violation (the DOM event, in every frame and shadow root) and console error. */
async function watchedPage(): Promise<Watched> {
  const page = await pageWithToken(browser, web.viewer);
  const console: string[] = [];
  page.on('console', (m) => {
    // A refused resource or inline style or script is reported on the console too ("Refused to ...", "violates the ... Content Security Policy").
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) console.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => console.push(`page error: ${e.message}`));
  // Browser code as text: the tests compile without the DOM's types.
  await page.addInitScript(`
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + e.sourceFile + ':' + e.lineNumber + ') ' + e.sample), true);
  `);
  return {
    page,
    problems: async () => [...((await page.evaluate('window.__cspViolations')) as string[]), ...console],
  };
}

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer({ extraConfig: RULES, heartbeat: '5m' }), launchBrowser()]);
  const samples: [string, number, number][] = [];
  for (let t = NOW - 1800; t <= NOW; t += 10) samples.push(['csp.web01.load', t, 12], ['csp.web02.load', t, 1]);
  await web.ingest(samples);
  await web.api('POST', '/api/v1/downtimes', web.writer, { scope: { series: ['csp.web02.*'] }, ...DOWNTIME, reason: 'csp check' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('the web client under the Content-Security-Policy', () => {
  it('is served with a CSP that allows no inline script', async () => {
    const res = await fetch(`${web.url}/`);
    await res.text();
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
  });

  it('shows the overview with its styles and no violation', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${web.url}/`);
    await page.locator('rm-series-tree tr[data-series]').first().waitFor();
    expect(await page.locator('rm-series-tree tr[data-series]').count()).toBe(2);
    // The page's own stylesheet applies (its background colour), as does a component's (Lit's constructed sheets).
    expect(await page.evaluate('getComputedStyle(document.documentElement).backgroundColor')).toBe('rgb(247, 248, 250)');
    expect(await page.locator('rm-series-tree tr[data-series="csp.web01.load"] rm-status-icon').getAttribute('kind')).toBe('CRITICAL');
    expect(await problems()).toEqual([]);
    await page.context().close();
  });

  it('draws the graph and its hover card with no violation', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${web.url}/?view=graph&s=csp.web02.load&s=csp.web01.load&from=${NOW - 1800}&to=${NOW}`);
    await page.locator('rm-graph-view[data-painted]').waitFor();
    const box = await page.locator('rm-chart canvas').boundingBox();
    if (!box) throw new Error('no canvas box');
    const { x, area } = await pixelOf(page, ((DOWNTIME.start + DOWNTIME.end) / 2) * 1000);
    await page.mouse.move(box.x + x, box.y + area.top + 20);
    const card = page.locator('rm-chart #hover-card');
    await card.waitFor();
    expect(await card.innerText()).toContain('csp check');
    // Its position comes from a style attribute (left of the card, or right of it in the chart's right half): it must have applied.
    expect(await card.evaluate((el) => { const { style } = el as unknown as { style: { left: string; right: string } }; return style.left || style.right; })).toMatch(/^\d+px$/);
    expect(await problems()).toEqual([]);
    await page.context().close();
  });

  it('shows the downtimes view and /docs with no violation', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${web.url}/?view=downtimes`);
    await page.getByText('csp check').first().waitFor();
    await page.goto(`${web.url}/docs`);
    await page.locator('.swagger-ui .information-container').waitFor();
    expect(await problems()).toEqual([]);
    await page.context().close();
  });

  it('refuses a script injected inline, reporting the violation', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${web.url}/`);
    await page.locator('rm-series-tree tr[data-series]').first().waitFor();
    await page.evaluate(`{
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.append(s);
    }`);
    await expect.poll(async () => (await problems()).join('\n')).toContain('script-src');
    expect(await page.evaluate('window.__injected')).toBeUndefined();
    await page.context().close();
  });
});
