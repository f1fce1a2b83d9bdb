import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferedFile } from './buffered-file.js';

describe('BufferedFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvhsim-buffered-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the order of small writes, lines and chunks larger than its buffer; close is idempotent', () => {
    const path = join(dir, 'a.txt');
    const f = new BufferedFile(path);
    const big = 'x'.repeat(100_000);
    f.write('head ');
    f.writeLine('line one');
    f.write(big);
    f.write(new TextEncoder().encode(' tail'));
    f.close();
    f.close();
    expect(readFileSync(path, 'utf8')).toBe(`head line one\n${big} tail`);
    expect(() => f.write('more')).toThrow(/written after close/);
  });

  it('abandon removes the file; a path it cannot open is a user error naming what it is', () => {
    const path = join(dir, 'b.txt');
    const f = new BufferedFile(path);
    f.write('partial');
    f.abandon();
    expect(existsSync(path)).toBe(false);
    expect(() => new BufferedFile(join(dir, 'missing', 'c.txt'), 'the export')).toThrow(/missing\/c\.txt: cannot open the export for writing/);
    expect(() => new BufferedFile(join(dir, 'missing', 'c.txt'))).toThrow(/missing\/c\.txt: cannot open for writing/);
  });
});
