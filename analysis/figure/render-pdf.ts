import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { UserError } from '../../common/errors.js';
import type { ChartSize } from '../charts/theme.js';

/**
 * SVG figures printed to PDF by Chromium (playwright-core drives the system's Chromium; no browser
 * is downloaded). Each page is exactly the figure's size, in points, with no margins. Chromium
 * stamps the time into /CreationDate and /ModDate; those are rewritten to a fixed date of the
 * same length (the cross-reference offsets stay valid), so the same SVG gives the same bytes.
 */

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The Chromium executable: $RVHSIM_CHROMIUM, else /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.RVHSIM_CHROMIUM ?? DEFAULT_CHROMIUM;
}

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface PdfPage {
  /** A standalone SVG document (render-svg.ts). */
  svg: string;
  /** The figure's size in points. */
  size: ChartSize;
}

/** The PDF of each page, in order; one browser for all of them. */
export async function renderPdfs(pages: readonly PdfPage[], executablePath: string = chromiumPath()): Promise<Buffer[]> {
  if (pages.length === 0) return [];
  if (!existsSync(executablePath)) {
    throw new UserError(`PDF figures need Chromium, and ${executablePath} does not exist: install it (apt-get install chromium) or set RVHSIM_CHROMIUM to a Chromium executable`);
  }
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new UserError('PDF figures need the npm package playwright-core (npm install playwright-core)');
  }
  const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS });
  try {
    const page = await browser.newPage();
    const out: Buffer[] = [];
    for (const p of pages) {
      await page.setContent(pageHtml(p), { waitUntil: 'load' });
      const pdf = await page.pdf({
        width: `${p.size.width / 72}in`,
        height: `${p.size.height / 72}in`,
        margin: { top: '0', right: '0', bottom: '0', left: '0' },
        printBackground: true,
        preferCSSPageSize: true,
      });
      out.push(fixPdfMetadata(pdf, p.svg));
    }
    return out;
  } finally {
    await browser.close();
  }
}

/** An HTML page holding only the SVG, the page box exactly its size. */
function pageHtml(p: PdfPage): string {
  const svg = p.svg.replace(/^<\?xml[^>]*>\s*/, '');
  return `<!doctype html><html><head><meta charset="utf-8"><style>@page{size:${p.size.width}pt ${p.size.height}pt;margin:0}html,body{margin:0;padding:0;overflow:hidden}svg{display:block}</style></head><body>${svg}</body></html>`;
}

/** The fixed date written in place of Chromium's timestamps. */
const FIXED_DATE_DIGITS = '20000101000000';

/**
 * Rewrites the PDF's dates (and a document /ID, should Chromium write one) to values that depend
 * only on the content, keeping every byte offset: /CreationDate and /ModDate get 2000-01-01
 * 00:00:00 with their time zone zeroed, /ID strings hex digits of the SVG's hash.
 */
export function fixPdfMetadata(pdf: Uint8Array, content: string): Buffer {
  // latin1 maps bytes 1:1 to characters, so replacements of equal length keep the binary streams intact.
  const text = Buffer.from(pdf).toString('latin1');
  let digits = 0;
  const dated = text.replace(/\/(CreationDate|ModDate)\s*\(D:([^)]*)\)/g, (match: string, _key: string, date: string) => {
    digits = 0;
    const fixed = date.replace(/\d/g, () => FIXED_DATE_DIGITS[digits++] ?? '0');
    return match.slice(0, match.length - date.length - 1) + fixed + ')';
  });
  const hash = createHash('sha256').update(content).digest('hex');
  const ided = dated.replace(/\/ID\s*\[\s*<([0-9A-Fa-f]*)>\s*<([0-9A-Fa-f]*)>\s*\]/g, (match: string, a: string, b: string) =>
    match.replace(`<${a}>`, `<${hash.repeat(4).slice(0, a.length).toUpperCase()}>`).replace(`<${b}>`, `<${hash.repeat(4).slice(0, b.length).toUpperCase()}>`),
  );
  return Buffer.from(ided, 'latin1');
}
