import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * A built copy of rvhsim for tests that need JavaScript: piscina workers load worker.js, and the
 * killed-sweep test runs the CLI as a real child process. The copy is a package directory in the
 * temporary directory laid out like the repository (package.json, dist/, and symlinks to
 * node_modules and workloads), so packageRoot() and module resolution behave as in a real
 * install, and the repository's own dist/ (which others may be using) is never touched.
 * It is keyed by a hash of the repository's path and sources: test files share one build until a
 * source changes, and a clone elsewhere (a CI checkout beside a developer's) gets its own, since
 * the build's links point into the repository that made it.
 */

const repo = join(import.meta.dirname, '..', '..', '..');
const SOURCE_DIRS = ['analysis', 'caches', 'common', 'mmu', 'pipeline', 'workloads'];

export interface BuiltPackage {
  root: string;
  /** Absolute path of a built module, e.g. dist('analysis/sweep/run-sweep.js'). */
  dist(path: string): string;
  /** Node arguments that run the rvhsim CLI with the sweep commands (prepend `node`). */
  cli: string[];
}

export function builtPackage(): BuiltPackage {
  const hash = sourceHash();
  const root = join(tmpdir(), `rvhsim-built-${hash.slice(0, 16)}`);
  if (!existsSync(join(root, 'complete'))) build(root);
  const dist = (path: string) => join(root, 'dist', path);
  const cliJs = dist('analysis/cli.js');
  // Until analysis/cli.ts registers the sweep commands itself, a small entry adds them.
  const wired = readFileSync(cliJs, 'utf8').includes('registerSweepCommands');
  return { root, dist, cli: [wired ? cliJs : join(root, 'sweep-cli.mjs')] };
}

function build(root: string): void {
  removeOldBuilds();
  const work = `${root}.${process.pid}.tmp`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  copyFileSync(join(repo, 'package.json'), join(work, 'package.json'));
  symlinkSync(join(repo, 'node_modules'), join(work, 'node_modules'));
  symlinkSync(join(repo, 'workloads'), join(work, 'workloads'));
  symlinkSync(join(repo, 'examples'), join(work, 'examples'));
  try {
    execFileSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repo, 'tsconfig.json'), '--outDir', join(work, 'dist')], { cwd: repo, stdio: 'pipe' });
  } catch (e) {
    // tsc emits despite type errors (perhaps in files being edited elsewhere); what the tests
    // need is the emitted JavaScript.
    if (!existsSync(join(work, 'dist', 'analysis', 'sweep', 'worker.js'))) throw e;
  }
  writeFileSync(join(work, 'sweep-cli.mjs'), SWEEP_CLI);
  writeFileSync(join(work, 'complete'), '');
  try {
    renameSync(work, root);
  } catch {
    // Another test file finished the same build first.
    rmSync(work, { recursive: true, force: true });
  }
}

/** analysis/cli.ts's main(), with the sweep commands registered. */
const SWEEP_CLI = `import { CommanderError } from 'commander';
import { buildProgram } from './dist/analysis/cli.js';
import { registerSweepCommands } from './dist/analysis/sweep/commands.js';
import { UserError } from './dist/common/errors.js';
const io = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s), exitCode: 0 };
const program = buildProgram(io);
if (!program.commands.some((c) => c.name() === 'sweep')) registerSweepCommands(program, io);
try {
  await program.parseAsync(process.argv);
  process.exitCode = io.exitCode;
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : 2;
  else if (e instanceof UserError) { io.err('rvhsim: ' + e.message + '\\n'); process.exitCode = 2; }
  else { io.err('rvhsim: internal error:\\n' + e.stack + '\\n'); process.exitCode = 70; }
}
`;

function sourceHash(): string {
  const h = createHash('sha256');
  h.update(repo);
  for (const f of ['package.json', 'tsconfig.json']) h.update(f).update(readFileSync(join(repo, f)));
  for (const dir of SOURCE_DIRS) {
    for (const file of walk(join(repo, dir))) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      h.update(relative(repo, file)).update(readFileSync(file));
    }
  }
  return h.digest('hex');
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** Builds of sources that changed more than an hour ago. */
function removeOldBuilds(): void {
  const cutoff = Date.now() - 3600_000;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('rvhsim-built-')) continue;
    const path = join(tmpdir(), name);
    try {
      if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed concurrently.
    }
  }
}
