import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelCodeHash, simulatorBuild } from './simulator-build.js';
import { packageVersion } from './package-info.js';

describe('simulator build identity', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'rvhsim-build-'));
    dirs.push(root);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('is the package version and a hash of the model code', () => {
    expect(simulatorBuild()).toMatch(new RegExp(`^${packageVersion().replace(/\./g, '\\.')}\\+[0-9a-f]{12}$`));
  });

  it('changes when a model file changes, and ignores tests and analysis code', () => {
    const base = { 'pipeline/hart.ts': 'a', 'mmu/walk.ts': 'b', 'analysis/cli.ts': 'c', 'pipeline/hart.test.ts': 'd' };
    const h = modelCodeHash(tree(base));
    expect(modelCodeHash(tree({ ...base, 'pipeline/hart.ts': 'a2' }))).not.toBe(h);
    expect(modelCodeHash(tree({ ...base, 'analysis/cli.ts': 'c2' }))).toBe(h);
    expect(modelCodeHash(tree({ ...base, 'pipeline/hart.test.ts': 'd2' }))).toBe(h);
    expect(modelCodeHash(tree({ ...base, 'caches/new.ts': 'e' }))).not.toBe(h);
  });
});
