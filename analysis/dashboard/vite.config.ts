import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type InlineConfig } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

/**
 * Builds the dashboard app (app/index.html and the modules it imports, d3 included) into one
 * self-contained HTML file, dist/dashboard/index.html: every script and style inlined, no request
 * to anything else, so the page works from file://. `rvhsim dashboard` embeds the data in it.
 *   npx vite build --config analysis/dashboard/vite.config.ts
 */

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, '..', '..');

/** The build configuration, writing to `outDir` (default dist/dashboard under the package root). */
export function dashboardViteConfig(outDir: string = join(packageRoot, 'dist', 'dashboard')): InlineConfig {
  return {
    configFile: false,
    root: join(here, 'app'),
    base: './',
    logLevel: 'warn',
    plugins: [viteSingleFile({ removeViteModuleLoader: true })],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // The page is opened from disk and read once; one readable-enough file beats a few saved KiB.
      minify: true,
      reportCompressedSize: false,
    },
  };
}

export default defineConfig(dashboardViteConfig());
