/**
 * An accessibility scan of a playwright page with axe-core: the whole
 * document, open shadow roots included (every Lit element renders into
 * one, and axe walks them), against WCAG 2.x A and AA and axe's best
 * practices. The page's Content-Security-Policy refuses scripts from
 * anywhere but its own origin, so axe is not added as a `<script>`: its
 * source is evaluated through the DevTools protocol, which the policy does
 * not govern.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export type AxeImpact = 'minor' | 'moderate' | 'serious' | 'critical';

/** One rule that failed, with the elements at fault (their selectors, a shadow host first). */
export interface AxeViolation {
  readonly id: string;
  readonly impact: AxeImpact | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly targets: readonly string[];
  /** What axe says is wrong with the first element at fault. */
  readonly summary: string;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The rule tags run: the WCAG 2.0, 2.1 and 2.2 levels A and AA, and axe's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Runs axe over the page as it is now; loads axe into the page first when it is not there (a navigation drops it). */
export async function scanPage(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  // Browser code as text: the tests compile without the DOM's types.
  const json = await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} }, resultTypes: ['violations'] });
    return JSON.stringify(result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.map((t) => Array.isArray(t) ? t.join(' >>> ') : t).join(' >>> ')),
      summary: v.nodes[0]?.failureSummary ?? '',
    })));
  })()`);
  return JSON.parse(json as string) as AxeViolation[];
}

/** The violations a user of assistive technology is blocked or badly hindered by. */
export function seriousViolations(violations: readonly AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One line per violation: impact, rule, help and each element at fault. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.impact ?? '?'} ${v.id}: ${v.help}\n  ${v.targets.join('\n  ')}\n  ${v.summary.replace(/\n/g, '\n  ')}`).join('\n');
}

/** Fails, listing each one, when the page has a serious or critical violation; returns all violations found. */
export async function expectNoSeriousViolations(page: Page, what: string): Promise<AxeViolation[]> {
  const all = await scanPage(page);
  const serious = seriousViolations(all);
  expect(describeViolations(serious), `${what}: serious or critical accessibility violations`).toBe('');
  return all;
}
