import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import { DASHBOARD_FORMAT, type DashboardData } from './dashboard-data.js';
import { DATA_PLACEHOLDER, embedData, readDashboardTemplate, renderDashboard, scriptSafeJson } from './html.js';

const TEMPLATE = `<!doctype html><html><body>${DATA_PLACEHOLDER}<script type="module">/* app */</script></body></html>`;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function data(title: string): DashboardData {
  return { format: DASHBOARD_FORMAT, title, version: '0.1.0', axes: [], statNames: [], points: [], traces: [] };
}

/** The text of the data element, as an HTML parser would end it: at the first `</script`. */
function elementText(html: string): string {
  const start = html.indexOf('id="rvhsim-data">') + 'id="rvhsim-data">'.length;
  return html.slice(start, html.toLowerCase().indexOf('</script', start));
}

describe('embedData', () => {
  it('puts the data in the data element, where JSON.parse reads it back unchanged', () => {
    const d = data('paper');
    const html = embedData(TEMPLATE, d);
    expect(html).not.toContain('__RVHSIM_DATA__');
    expect(JSON.parse(elementText(html))).toEqual(d);
  });

  it('escapes the data so that </script>, <!-- and line separators in it cannot end the element', () => {
    const nasty = data('</script><script>alert(1)</script><!-- & \u2028\u2029 $& $1');
    const html = embedData(TEMPLATE, nasty);
    expect(elementText(html)).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(elementText(html))).toEqual(nasty);
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it('refuses a template without exactly one placeholder', () => {
    expect(() => embedData('<html></html>', data('x'))).toThrow(UserError);
    expect(() => embedData(TEMPLATE + DATA_PLACEHOLDER, data('x'))).toThrow(/exactly one/);
  });

  it('escapes as \\u sequences', () => {
    expect(scriptSafeJson('<a>&')).toBe('"\\u003ca\\u003e\\u0026"');
  });
});

describe('the built template', () => {
  it('tells the user to run npm run build when it is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rvhsim-dashboard-html-'));
    dirs.push(dir);
    expect(() => readDashboardTemplate(join(dir, 'index.html'))).toThrow(/run `npm run build`/);
  });

  it('refuses a file that is not the dashboard page', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rvhsim-dashboard-html-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'index.html'), '<html></html>');
    expect(() => renderDashboard(data('x'), join(dir, 'index.html'))).toThrow(/not a dashboard page/);
  });
});
