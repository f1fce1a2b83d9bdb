import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { thresholdSturges } from 'd3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../common/package-root.js';
import { buildModel } from './app/model.js';
import { loadDashboardData } from './data.js';
import { renderDashboard } from './html.js';
import { serveDashboard } from './serve.js';
import { AXES, FENCES_NATIVE, FENCES_VIRTUALIZED, TRACE_FENCES, TRACE_STRETCHES, TRACE_WORLD_SWITCHES, writeFixtureStore, writeFixtureTrace } from './test-support/fixture.js';
import { dashboardViteConfig } from './vite.config.js';

/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core (never a
 * downloaded browser). The page is built with Vite from the app's sources, filled with the
 * fixture result set (48 points, one trace) and opened from file://; each view must draw the
 * expected number of marks, react to its controls, and leave a screenshot in
 * test-artifacts/dashboard/<view>.png.
 */

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(packageRoot(), 'test-artifacts', 'dashboard');
const skip = existsSync(CHROMIUM) ? '' : ` (skipped: ${CHROMIUM} is not installed; apt-get install chromium)`;

describe.skipIf(skip !== '')(`the dashboard in headless Chromium${skip}`, () => {
  let dir: string;
  let pageUrl: string;
  let html: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rvhsim-dashboard-browser-'));
    await build(dashboardViteConfig(join(dir, 'template')));
    const results = join(dir, 'results');
    writeFixtureStore(results);
    writeFixtureTrace(join(results, 'traces'));
    html = renderDashboard(loadDashboardData(results), join(dir, 'template', 'index.html'));
    const file = join(dir, 'dashboard.html');
    writeFileSync(file, html);
    pageUrl = pathToFileURL(file).href;
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function open(hash: string): Promise<void> {
    await page.goto(`${pageUrl}#${hash}`);
    await page.waitForSelector('#view[data-view]');
  }
  const count = (selector: string): Promise<number> => page.locator(selector).count();
  const shot = (view: string): Promise<Buffer> => page.screenshot({ path: join(ARTIFACTS, `${view}.png`), fullPage: true });
  const choose = async (name: string, value: string): Promise<void> => {
    await page.locator(`select[name="${name}"]`).selectOption(value);
  };

  it('sweep overview: a heatmap of 3 x 4 cells that follows the axis selects, lines for a numeric axis, points to drill into', async () => {
    await open(`view=overview&x=${AXES.org}&y=${AXES.entries}`);
    expect(await count('[data-chart=overview] rect.cell')).toBe(12);
    await shot('overview');
    await choose('y', AXES.mode);
    expect(await count('[data-chart=overview] rect.cell')).toBe(6);
    expect(page.url()).toContain(`y=${encodeURIComponent(AXES.mode)}`);
    await choose('y', '');
    await choose('x', AXES.entries);
    // One line per workload, a point per D-TLB size.
    expect(await count('[data-chart=overview] path.line')).toBe(2);
    expect(await count('[data-chart=overview] circle.point')).toBe(8);
    const before = await page.locator('[data-chart=overview] circle.point title').first().textContent();
    await choose('metric', 'mmu.walker.walks');
    expect(await count('[data-chart=overview] circle.point')).toBe(8);
    expect(await page.locator('[data-chart=overview] circle.point title').first().textContent()).not.toBe(before);
    await page.locator('[data-chart=overview] circle.point').first().click();
    // bench-gups with 8 entries: 3 organisations x native/virtualized.
    expect(await count('#drill table.points tr')).toBe(1 + 6);
    await choose('x', AXES.org);
    expect(await count('[data-chart=overview] rect.bar')).toBe(3 * 2);
    expect(errors).toEqual([]);
  });

  it('keeps the view, metric and axes over a reload (URL hash)', async () => {
    await open(`view=overview&x=${AXES.org}&y=${AXES.entries}`);
    await choose('y', AXES.mode);
    await choose('metric', 'mmu.walker.walks');
    await page.reload();
    await page.waitForSelector('[data-chart=overview] rect.cell');
    expect(await page.locator('select[name=y]').inputValue()).toBe(AXES.mode);
    expect(await page.locator('select[name=metric]').inputValue()).toBe('mmu.walker.walks');
    expect(await count('[data-chart=overview] rect.cell')).toBe(6);
  });

  it('configuration comparison: a CPI stack per point, native beside virtualized, following the point filters', async () => {
    await open('view=compare&f.workload=bench-gups');
    // 24 points; each has 6 non-zero CPI components (base, dcache, dtlb, fence, icache, itlb).
    expect(await count('[data-chart=cpi-stacks] rect.segment')).toBe(24 * 6);
    // 12 configurations (organisation x D-TLB size), native and virtualized.
    expect(await count('[data-chart=native-vs-virtualized] rect.bar')).toBe(12 * 2);
    await shot('compare');
    await choose(`f.${AXES.org}`, 'combined');
    expect(await count('[data-chart=cpi-stacks] rect.segment')).toBe(8 * 6);
    expect(await count('[data-chart=native-vs-virtualized] rect.bar')).toBe(4 * 2);
    expect(errors).toEqual([]);
  });

  it('translation: walks, references per walk by stage and level, walk-cache hit rates and TLB miss rates per point', async () => {
    await open(`view=translation&f.workload=bench-gups&f.${AXES.entries}=8`);
    // 6 points: 3 organisations x native/virtualized.
    expect(await count('[data-chart=walks] rect.bar')).toBe(6 * 2);
    // Native walks read 3 levels; virtualized ones 3 VS-stage and 3 G-stage levels.
    expect(await count('[data-chart=refs-per-walk] rect.segment')).toBe(3 * 3 + 3 * 6);
    // The G-stage walk cache is looked up only by virtualized runs.
    expect(await count('[data-chart=pwc-hit-rates] rect.bar')).toBe(3 * 1 + 3 * 2);
    // D-TLB and I-TLB everywhere; the G-stage TLB only virtualized with separate or hybrid TLBs.
    expect(await count('[data-chart=tlb-miss-rates] rect.bar')).toBe(6 * 2 + 2);
    await shot('translation');
    await choose(`f.${AXES.mode}`, '1');
    expect(await count('[data-chart=refs-per-walk] rect.segment')).toBe(3 * 3);
    expect(errors).toEqual([]);
  });

  it('fences: counts by kind, a cost histogram, stale vs collateral, shadow cycles', async () => {
    await open('view=fences');
    const kept = 24 * FENCES_NATIVE + 24 * FENCES_VIRTUALIZED;
    expect(await count('[data-chart=fence-counts] rect.bar')).toBe(4 * 2);
    expect(await count('[data-chart=fence-cost] rect.bin')).toBe(thresholdSturges(new Array<number>(kept).fill(0)));
    expect(await count('[data-chart=stale-vs-collateral] rect.segment')).toBe(4 * 2);
    expect(await count('[data-chart=fence-shadow] rect.bar')).toBe(4 * 2);
    await shot('fences');
    await choose(`f.${AXES.mode}`, '1');
    expect(await count('[data-chart=fence-counts] rect.bar')).toBe(1);
    expect(await count('[data-chart=fence-cost] rect.bin')).toBe(thresholdSturges(new Array<number>(24 * FENCES_NATIVE).fill(0)));
    expect(errors).toEqual([]);
  });

  it('trace timeline: mode bands and fence and world-switch markers; the wheel zooms in and hides markers outside', async () => {
    await open('view=timeline');
    expect(await count('[data-chart=timeline] rect.band')).toBe(TRACE_STRETCHES.length);
    expect(await count('[data-chart=timeline] line.marker')).toBe(TRACE_FENCES + TRACE_WORLD_SWITCHES);
    expect(await count('[data-chart=timeline] path.line')).toBe(1);
    await shot('timeline');
    const box = (await page.locator('[data-chart=timeline] svg').boundingBox())!;
    const noteBefore = await page.locator('[data-chart=timeline] p.note').textContent();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -300);
    await expect.poll(() => count('[data-chart=timeline] line.marker')).toBeLessThan(TRACE_FENCES + TRACE_WORLD_SWITCHES);
    expect(await count('[data-chart=timeline] line.marker')).toBeGreaterThan(0);
    expect(await page.locator('[data-chart=timeline] p.note').textContent()).not.toBe(noteBefore);
    await shot('timeline-zoomed');
    await page.locator('button[name=reset-zoom]').click();
    expect(await count('[data-chart=timeline] line.marker')).toBe(TRACE_FENCES + TRACE_WORLD_SWITCHES);
    await choose('series', 'mmu.dtlb.misses');
    expect(await page.locator('[data-chart=timeline] .axis-title').allTextContents()).toContain('mmu.dtlb.misses per kilo-cycle');
    expect(errors).toEqual([]);
  });

  it('trace timeline: a legend names the modes and marker kinds in the colours of their marks', async () => {
    await open('view=timeline');
    const legend = '[data-chart=timeline] .legend';
    expect(await page.locator(`${legend} .legend-entry.band`).allTextContents()).toEqual(['HS', 'VS', 'VU']);
    expect(await page.locator(`${legend} .legend-entry.marker`).allTextContents()).toEqual(['fence', 'world switch']);
    const colours = await page.evaluate(() => {
      const chart = document.querySelector('[data-chart=timeline]')!;
      const of = (selector: string, attr: string): Record<string, string[]> => {
        const out: Record<string, string[]> = {};
        for (const el of Array.from(chart.querySelectorAll(selector))) {
          const name = el.querySelector('title')!.textContent!.replace(/( at |: ).*$/, '');
          (out[name] ??= []).push(el.getAttribute(attr)!);
        }
        return out;
      };
      const swatches = (role: string, shape: string, attr: string): Record<string, string> =>
        Object.fromEntries(Array.from(chart.querySelectorAll(`.legend-entry.${role}`)).map((e) => [e.querySelector('text')!.textContent!, e.querySelector(shape)!.getAttribute(attr)!]));
      return { markers: of('line.marker', 'stroke'), bands: of('rect.band', 'fill'), markerSwatches: swatches('marker', 'line', 'stroke'), bandSwatches: swatches('band', 'rect', 'fill') };
    });
    expect(colours.markers['fence']).toHaveLength(TRACE_FENCES);
    expect(colours.markers['world switch']).toHaveLength(TRACE_WORLD_SWITCHES);
    for (const [kind, strokes] of Object.entries(colours.markers)) expect(new Set(strokes)).toEqual(new Set([colours.markerSwatches[kind]]));
    for (const [mode, fills] of Object.entries(colours.bands)) expect(new Set(fills)).toEqual(new Set([colours.bandSwatches[mode]]));
    expect(new Set(Object.values(colours.markerSwatches)).size).toBe(2);
    expect(errors).toEqual([]);
  });

  it('trace timeline: keeps the zoomed range over a reload (URL hash); zooming out still reaches the whole trace, and reset clears it', async () => {
    await open('view=timeline');
    const chart = '[data-chart=timeline]';
    const visible = async (): Promise<{ note: string | null; markers: number; ticks: string[] }> => ({
      note: await page.locator(`${chart} p.note`).textContent(),
      markers: await count(`${chart} line.marker`),
      ticks: await page.locator(`${chart} .x-axis .tick-label`).allTextContents(),
    });
    const box = (await page.locator(`${chart} svg`).boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -300);
    await expect.poll(() => count(`${chart} line.marker`)).toBeLessThan(TRACE_FENCES + TRACE_WORLD_SWITCHES);
    await expect.poll(() => page.url()).toMatch(/[#&]zoom=[\d.e+-]+\.\.[\d.e+-]+/);
    const zoomed = await visible();
    expect(zoomed.markers).toBeGreaterThan(0);

    await page.reload();
    await page.waitForSelector(`${chart} line.marker`, { state: 'attached' });
    expect(await visible()).toEqual(zoomed);

    // The restored view is a zoom within the whole trace, not a new limit.
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 600);
    await expect.poll(() => count(`${chart} line.marker`)).toBe(TRACE_FENCES + TRACE_WORLD_SWITCHES);
    await expect.poll(() => page.url()).not.toContain('zoom=');

    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -300);
    await expect.poll(() => page.url()).toContain('zoom=');
    await page.locator('button[name=reset-zoom]').click();
    expect(page.url()).not.toContain('zoom=');
    expect(await count(`${chart} line.marker`)).toBe(TRACE_FENCES + TRACE_WORLD_SWITCHES);
    await page.reload();
    await page.waitForSelector(`${chart} line.marker`, { state: 'attached' });
    expect(await count(`${chart} line.marker`)).toBe(TRACE_FENCES + TRACE_WORLD_SWITCHES);
    expect(errors).toEqual([]);
  });

  it('makes no request beyond the page itself', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith(pageUrl.split('#')[0]!))).toEqual([]);
  });

  it('is served on 127.0.0.1 by `serve` and the server closes', async () => {
    const server = await serveDashboard(html, 0);
    try {
      const served = await browser.newPage();
      await served.goto(`${server.url}#view=overview&x=${AXES.org}&y=${AXES.entries}`);
      await served.waitForSelector('[data-chart=overview] rect.cell');
      expect(await served.locator('[data-chart=overview] rect.cell').count()).toBe(12);
      await served.close();
    } finally {
      await server.close();
    }
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('has model and page agree on the fixture (sanity for the counts above)', () => {
    const model = buildModel(loadDashboardData(join(dir, 'results')));
    expect(model.points).toHaveLength(48);
    expect(model.traces).toHaveLength(1);
  });
});
