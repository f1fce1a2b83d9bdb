import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import { lineChart } from '../charts/line-chart.js';
import { PAPER_THEME } from '../charts/theme.js';
import { fixPdfMetadata, renderPdfs, DEFAULT_CHROMIUM } from './render-pdf.js';
import { renderSvg } from './render-svg.js';

const size = { width: 252, height: 162 };
const svg = renderSvg(
  (el) =>
    lineChart(
      el,
      {
        series: [
          { name: 'combined', points: [{ x: 8, y: 1.3 }, { x: 16, y: 1.2 }, { x: 32, y: 1.1 }] },
          { name: 'separate', points: [{ x: 8, y: 1.4 }, { x: 16, y: 1.25 }, { x: 32, y: 1.12 }] },
        ],
        xTitle: 'L1 DTLB entries',
        yTitle: 'CPI',
        logX: true,
      },
      { size, theme: PAPER_THEME },
    ),
  { title: 'pdf test' },
);

describe('fixPdfMetadata', () => {
  it("replaces Chromium's creation and modification dates with a fixed date of the same length", () => {
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj\n<</Creator (x)\n/CreationDate (D:20261121173406+00'00')\n/ModDate (D:20261121173407+01'30')>>\nendobj\nstream\n\xff\xfe\x00binary\nendstream\n", 'latin1');
    const fixed = fixPdfMetadata(pdf, svg);
    expect(fixed.length).toBe(pdf.length);
    const text = fixed.toString('latin1');
    expect(text).toContain("/CreationDate (D:20000101000000+00'00')");
    expect(text).toContain("/ModDate (D:20000101000000+00'00')");
    expect(text).toContain('\xff\xfe\x00binary');
  });

  it('replaces a document /ID with digits of the content hash, keeping its length', () => {
    const pdf = Buffer.from('trailer\n<</Size 3 /ID [<0123456789ABCDEF0123456789ABCDEF> <FEDCBA9876543210FEDCBA9876543210>]>>\n', 'latin1');
    const a = fixPdfMetadata(pdf, 'one').toString('latin1');
    const b = fixPdfMetadata(pdf, 'one').toString('latin1');
    expect(a).toBe(b);
    expect(a.length).toBe(pdf.length);
    expect(a).not.toContain('0123456789ABCDEF');
    expect(fixPdfMetadata(pdf, 'two').toString('latin1')).not.toBe(a);
  });
});

describe('renderPdfs', () => {
  it('says how to install Chromium when the executable is missing', async () => {
    await expect(renderPdfs([{ svg, size }], '/nonexistent/chromium')).rejects.toThrow(UserError);
    await expect(renderPdfs([{ svg, size }], '/nonexistent/chromium')).rejects.toThrow(/apt-get install chromium/);
  });

  // Skipped where the Debian package chromium is not installed (PDF output needs a browser).
  it.skipIf(!existsSync(DEFAULT_CHROMIUM))('prints one page of exactly the figure size, byte-identical across renders', async () => {
    const [a, b] = await renderPdfs([
      { svg, size },
      { svg, size },
    ]);
    expect(a!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = a!.toString('latin1');
    expect(text).toContain('/MediaBox [0 0 252 162]');
    expect(text).toMatch(/\/Type \/Pages[\s\S]*?\/Count 1\b/);
    expect(text).toMatch(/\/CreationDate \(D:20000101000000/);
    expect(Buffer.compare(a!, b!)).toBe(0);
  }, 30_000);
});
