import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the rvhsim package lives, found from this file rather than the working directory, so
 * the CLI finds its default workload from any cwd and both from sources and from dist/.
 */
export function packageRoot(): string {
  const here = fileURLToPath(import.meta.url);
  let dir = dirname(here);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${here}`);
    dir = up;
  }
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** The workload `rvhsim run` uses when none is named. */
export function defaultWorkloadPath(): string {
  return join(packageRoot(), 'workloads', 'bin', 'default.elf');
}
