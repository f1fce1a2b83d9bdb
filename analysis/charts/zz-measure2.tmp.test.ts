import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { it } from 'vitest';
import { newSvg, markup } from './test-support/dom.js';
import { outside } from './test-support/extent.js';
import { CASES } from './zz-cases.tmp.js';

it('measure2', async () => {
  const svgs: string[] = [];
  const est: string[] = [];
  for (const c of CASES) {
    const svg = newSvg();
    c.draw(svg);
    svgs.push(`<div data-case="${c.name}">${markup(svg)}</div>`);
    for (const o of outside(svg, c.theme, 0.5)) est.push(`${c.name}: ${o}`);
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], headless: true });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.setContent(`<!doctype html><html><body style="margin:0">${svgs.join('\n')}</body></html>`);
  const real = await page.evaluate(() => {
    const lines: string[] = [];
    for (const div of Array.from(document.querySelectorAll('div[data-case]'))) {
      const svg = div.querySelector('svg')!;
      const s = svg.getBoundingClientRect();
      const vb = svg.viewBox.baseVal;
      const k = vb.width / s.width;
      for (const el of Array.from(svg.querySelectorAll('text, rect, line, circle'))) {
        if (el.closest('clipPath') || el.closest('[clip-path]')) continue;
        const r = el.getBoundingClientRect();
        const l = (r.left - s.left) * k, rt = (r.right - s.left) * k;
        if (l < -0.5 || rt > vb.width + 0.5) lines.push(`${div.getAttribute('data-case')}: ${el.tagName}.${el.getAttribute('class')} "${(el.textContent ?? '').slice(0, 30)}" [${l.toFixed(1)}, ${rt.toFixed(1)}] w=${vb.width}`);
      }
    }
    return lines;
  });
  await browser.close();
  writeFileSync('/tmp/golden/measure2.txt', ['# estimate', ...est, '# chromium', ...real].join('\n') + '\n');
}, 120_000);
