import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { it } from 'vitest';
import { loadDashboardData } from '../dashboard/data.js';
import { renderDashboard } from '../dashboard/html.js';
import { AXES, writeFixtureStore, writeFixtureTrace } from '../dashboard/test-support/fixture.js';
import { dashboardViteConfig } from '../dashboard/vite.config.js';

it('measure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvh-measure-'));
  await build(dashboardViteConfig(join(dir, 'template')));
  const results = join(dir, 'results');
  writeFixtureStore(results);
  writeFixtureTrace(join(results, 'traces'));
  const html = renderDashboard(loadDashboardData(results), join(dir, 'template', 'index.html'));
  const file = join(dir, 'dashboard.html');
  writeFileSync(file, html);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], headless: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const out: string[] = [];
  for (const hash of [`view=overview&x=${AXES.org}&y=${AXES.entries}`, `view=overview&x=${AXES.entries}&y=${AXES.org}`, 'view=compare', 'view=translation', 'view=fences', 'view=timeline']) {
    await page.goto(`${pathToFileURL(file).href}#${hash}`);
    await page.waitForSelector('#view[data-view]');
    const res = await page.evaluate(() => {
      const lines: string[] = [];
      for (const svg of Array.from(document.querySelectorAll('svg.rvh-chart'))) {
        const s = svg.getBoundingClientRect();
        const vb = (svg as SVGSVGElement).viewBox.baseVal;
        const k = vb.width / s.width;
        for (const el of Array.from(svg.querySelectorAll('text, rect, line, circle'))) {
          if (el.closest('clipPath') || el.closest('[clip-path]')) continue;
          const r = el.getBoundingClientRect();
          const l = (r.left - s.left) * k, rt = (r.right - s.left) * k;
          if (l < -0.5 || rt > vb.width + 0.5) lines.push(`${svg.getAttribute('class')} w=${vb.width} ${el.tagName}.${el.getAttribute('class')} "${(el.textContent ?? '').slice(0, 30)}" [${l.toFixed(1)}, ${rt.toFixed(1)}]`);
        }
      }
      return lines;
    });
    out.push(`# ${hash}`, ...res);
  }
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
  writeFileSync('/tmp/golden/measure.txt', out.join('\n') + '\n');
}, 120_000);
