/**
 * docs/web.md and its screenshots (docs/images/web/, copied from the
 * browser tests by tools/docs-screenshots.ts): every image the guide shows
 * exists, every view of the client (web/src/url-state.ts VIEWS) has one,
 * and every screenshot there is shown somewhere in the guide.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VIEWS } from '../../web/src/url-state.js';
import { readDoc, ROOT } from './markdown-examples.js';

const GUIDE = 'docs/web.md';
const IMAGES = join(ROOT, 'docs', 'images', 'web');
const markdown = readDoc(GUIDE);
/** The files the guide's images (`![alt](path)`) point at, relative to the repository. */
const shown = [...markdown.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((m) => ({ alt: m[1], path: relative(ROOT, resolve(dirname(join(ROOT, GUIDE)), m[2])) }));

describe(`${GUIDE}'s screenshots`, () => {
  it('shows images, each with a text for those who cannot see it, and each exists', () => {
    expect(shown.length).toBeGreaterThanOrEqual(VIEWS.length);
    for (const image of shown) {
      expect(image.alt.trim(), `alt text of ${image.path}`).not.toBe('');
      expect(existsSync(join(ROOT, image.path)), image.path).toBe(true);
    }
  });

  it('has a screenshot of every view of the client, shown in the guide', () => {
    for (const view of VIEWS) {
      const path = `docs/images/web/${view}.png`;
      expect(existsSync(join(ROOT, path)), path).toBe(true);
      expect(shown.map((s) => s.path), path).toContain(path);
    }
  });

  it('shows every screenshot it holds', () => {
    const held = readdirSync(IMAGES).map((f) => `docs/images/web/${f}`);
    expect(held.filter((f) => !shown.some((s) => s.path === f))).toEqual([]);
  });
});
