import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory of the rvhsim package (the one holding package.json), found from this file rather
 * than the working directory, so committed files such as workloads/bin/ are found from any cwd,
 * both when running from sources and from dist/.
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
