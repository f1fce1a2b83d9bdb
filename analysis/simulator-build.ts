import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVersion } from './package-info.js';

/**
 * The identity of the simulator that computes a result: the package version plus a hash of the
 * model code (the hart, the MMU, the caches, the workload loader, common/). A sweep stores results
 * under a hash that includes it, so editing a model between two runs of a sweep makes the second
 * run compute its points again instead of reusing results of the old code. The analysis code
 * (CLI, store, reports) is left out: it does not change what a simulation computes.
 *
 * The hash covers whatever this module runs beside: the built JavaScript under dist/ or the
 * TypeScript sources under vitest, so the two never share stored results.
 */

const MODEL_DIRS = ['pipeline', 'mmu', 'caches', 'workloads', 'common'] as const;

let cached: string | null = null;

export function simulatorBuild(): string {
  if (cached === null) cached = `${packageVersion()}+${modelCodeHash().slice(0, 12)}`;
  return cached;
}

/** SHA-256 over the model code files (path and bytes, in path order), tests excluded. */
export function modelCodeHash(root: string = join(dirname(fileURLToPath(import.meta.url)), '..')): string {
  const files: string[] = [];
  for (const d of MODEL_DIRS) collect(join(root, d), files);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(relative(root, f).split('\\').join('/'));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

function collect(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // a build without this directory
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'test-support' && e.name !== 'node_modules' && e.name !== 'build' && e.name !== 'testing') collect(p, out);
    } else if (/\.(ts|js)$/.test(e.name) && !/\.test\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) {
      out.push(p);
    }
  }
}
