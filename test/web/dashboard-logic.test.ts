/**
 * The dashboard editing the page does without a browser (web/src/dashboard-panels.ts),
 * and that the client's copy of the limits agrees with the server's
 * (web/ imports only itself, so the two are compared here).
 */
import { describe, expect, it } from 'vitest';
import * as server from '../../server/dashboards/index.js';
import { DASHBOARD_NAME, graphPanel, movePanel, nameFromTitle, newPanel, panelTitle, removePanel, replacePanel } from '../../web/src/dashboard-panels.js';
import * as client from '../../web/src/dashboard-types.js';
import type { Panel } from '../../web/src/dashboard-types.js';

const a: Panel = { type: 'alarms', w: 4, h: 2, match: 'a.**' };
const b: Panel = { type: 'value', w: 2, h: 1, series: ['b.x'] };
const c: Panel = { type: 'graph', w: 6, h: 3, series: ['c.*'] };

describe('the panel a graph becomes', () => {
  it('keeps its series, preset range and a CF other than the default', () => {
    expect(graphPanel(['x.load', 'y.load'], { preset: '1w' }, 'MAX')).toEqual({ type: 'graph', w: 6, h: 3, series: ['x.load', 'y.load'], range: '1w', cf: 'MAX' });
    expect(graphPanel(['x.load'], { preset: '1h' }, 'AVERAGE')).toEqual({ type: 'graph', w: 6, h: 3, series: ['x.load'], range: '1h' });
  });

  it('makes a zoomed range the last day, and keeps at most a panel of series', () => {
    const many = Array.from({ length: 30 }, (_, i) => `s.${i}`);
    const panel = graphPanel(many, { from: 1000, to: 2000 }, 'AVERAGE');
    expect(panel.range).toBe('1d');
    expect(panel.series).toEqual(many.slice(0, server.MAX_PANEL_SERIES));
  });
});

describe('editing the panel list', () => {
  it('moves a panel by places, clamped to the ends', () => {
    expect(movePanel([a, b, c], 2, -1)).toEqual([a, c, b]);
    expect(movePanel([a, b, c], 0, 1)).toEqual([b, a, c]);
    expect(movePanel([a, b, c], 0, -1)).toEqual([a, b, c]);
    expect(movePanel([a, b, c], 1, 5)).toEqual([a, c, b]);
  });

  it('removes one and replaces one, clamping its size to the grid', () => {
    expect(removePanel([a, b, c], 1)).toEqual([a, c]);
    expect(replacePanel([a, b], 1, { ...b, w: 40, h: 0 })).toEqual([a, { ...b, w: 12, h: 1 }]);
    expect(replacePanel([a, b], 0, { ...a, w: Number.NaN, h: 9 })).toEqual([{ ...a, w: 1, h: 8 }, b]);
  });

  it('starts each type with the fields the server requires', () => {
    for (const type of client.PANEL_TYPES) expect(newPanel(type).type).toBe(type);
    expect(newPanel('alarms').match).toBe('**');
    expect(panelTitle({ ...a, title: 'Mine' })).toBe('Mine');
    expect(panelTitle(c)).toBe('c.*');
  });
});

describe('names', () => {
  it('makes an address name from a title that the server takes', () => {
    expect(nameFromTitle('Web servers — EU/West')).toBe('web-servers-eu-west');
    expect(nameFromTitle('x'.repeat(80))).toHaveLength(64);
    for (const title of ['Ops wall', '  Spaces  ', 'DB_01']) expect(nameFromTitle(title)).toMatch(new RegExp(server.DASHBOARD_NAME_PATTERN));
    expect(DASHBOARD_NAME.test('Ops')).toBe(false);
  });
});

describe('the client and the server', () => {
  it('agree on the panel types and limits', () => {
    expect(client.PANEL_TYPES).toEqual(server.PANEL_TYPES);
    expect(client.GRID_COLUMNS).toBe(server.GRID_COLUMNS);
    expect(client.MAX_PANEL_HEIGHT).toBe(server.MAX_PANEL_HEIGHT);
    expect(client.MAX_PANELS).toBe(server.MAX_PANELS);
    expect(client.MAX_PANEL_SERIES).toBe(server.MAX_PANEL_SERIES);
    expect(DASHBOARD_NAME.source).toBe(`${server.DASHBOARD_NAME_PATTERN.slice(0, -2)}{0,${server.MAX_NAME_LENGTH - 1}}$`);
  });
});
