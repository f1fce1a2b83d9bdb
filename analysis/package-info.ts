import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../common/package-root.js';

export { packageRoot };

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** The workload `rvhsim run` uses when none is named. */
export function defaultWorkloadPath(): string {
  return join(packageRoot(), 'workloads', 'bin', 'default.elf');
}
