import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../common/errors.js';
import { packageRoot } from '../../common/package-root.js';
import type { DashboardData } from './dashboard-data.js';

/**
 * The dashboard page: the Vite-built app (one self-contained HTML file, dist/dashboard/index.html)
 * with the data of one results directory put into its data element. The page reads the element's
 * text with JSON.parse, so the data is JSON with every character that could end the element or
 * open a comment escaped.
 */

/** The element the app reads (app/index.html); its placeholder text is replaced once. */
export const DATA_ELEMENT_ID = 'rvhsim-data';
export const DATA_PLACEHOLDER = `<script type="application/json" id="${DATA_ELEMENT_ID}">"__RVHSIM_DATA__"</script>`;

/** Where `npm run build` puts the built app, under the package root. */
export function dashboardTemplatePath(): string {
  return join(packageRoot(), 'dist', 'dashboard', 'index.html');
}

export function readDashboardTemplate(path: string = dashboardTemplatePath()): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`${path}: the dashboard page is not built; run \`npm run build\` in the rvhsim package (it builds the page with Vite)`);
    }
    throw e;
  }
  if (!text.includes(DATA_PLACEHOLDER)) throw new UserError(`${path}: not a dashboard page (no ${DATA_ELEMENT_ID} placeholder); rebuild it with \`npm run build\``);
  return text;
}

/**
 * JSON that is safe as the text of a <script> element: `<` (so neither `</script>` nor `<!--`
 * can appear), `>` and `&` as \u escapes, and U+2028/U+2029 escaped too so the text stays valid
 * in older JavaScript parsers. Those characters only occur inside JSON strings, where the
 * escapes mean the same characters.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The page with `data` embedded: the template's placeholder element replaced. */
export function embedData(template: string, data: DashboardData): string {
  const at = template.indexOf(DATA_PLACEHOLDER);
  if (at < 0 || template.indexOf(DATA_PLACEHOLDER, at + 1) >= 0) throw new UserError(`the dashboard template must hold exactly one ${DATA_ELEMENT_ID} placeholder`);
  const element = `<script type="application/json" id="${DATA_ELEMENT_ID}">${scriptSafeJson(data)}</script>`;
  return template.slice(0, at) + element + template.slice(at + DATA_PLACEHOLDER.length);
}

/** The dashboard page for `data`, from the built template. */
export function renderDashboard(data: DashboardData, templatePath?: string): string {
  return embedData(readDashboardTemplate(templatePath), data);
}
