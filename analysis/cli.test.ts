import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { ConfigError } from '../common/errors.js';
import { defaultConfig } from '../pipeline/config.js';
import { buildProgram, EXIT_INTERNAL, EXIT_USER_ERROR, guestExitStatus, main, type CliIo } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rvhsim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    exitCode: 0,
    out: (s: string) => void (io.stdout += s),
    err: (s: string) => void (io.stderr += s),
  };
  return io;
}

/** Runs one command line through buildProgram (commander's exitOverride throws instead of exiting). */
async function parse(...args: string[]): Promise<CliIo & { stdout: string; stderr: string }> {
  const io = captureIo();
  await buildProgram(io).parseAsync(['node', 'rvhsim', ...args]);
  return io;
}

/** Runs one command line through main, as the bin entry does; returns output and exit code. */
async function runMain(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await main(['node', 'rvhsim', ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('rvhsim config', () => {
  it('--schema prints the JSON Schema of the configuration file', async () => {
    const io = await parse('config', '--schema');
    const schema = JSON.parse(io.stdout) as { properties: Record<string, { properties: Record<string, { default?: unknown }> }> };
    expect(Object.keys(schema.properties)).toEqual(['platform', 'hart', 'timing', 'caches', 'mmu', 'run']);
    expect(schema.properties['run']!.properties['maxInsns']!.default).toBe(defaultConfig().run.maxInsns);
  });

  it('--show prints the resolved configuration with --set overrides applied', async () => {
    const io = await parse('config', '--show', '--set', 'hart.misaligned=emulate', '-s', 'run.maxInsns=1_000');
    const shown = JSON.parse(io.stdout) as ReturnType<typeof defaultConfig>;
    expect(shown.hart.misaligned).toBe('emulate');
    expect(shown.run.maxInsns).toBe(1000);
    expect(shown.platform).toEqual(defaultConfig().platform);
  });

  it('shows the configuration by default and reads --config files', async () => {
    const f = join(dir, 'c.json');
    writeFileSync(f, JSON.stringify({ platform: { uart: 'none' } }));
    const io = await parse('config', '--config', f);
    expect((JSON.parse(io.stdout) as ReturnType<typeof defaultConfig>).platform.uart).toBe('none');
  });

  it('throws the ConfigError of a bad --set', async () => {
    await expect(parse('config', '--show', '--set', 'hart.nope=1')).rejects.toThrow(ConfigError);
  });

  it('rejects --schema combined with --set', async () => {
    await expect(parse('config', '--schema', '--set', 'hart.svadu=false')).rejects.toThrow(CommanderError);
  });
});

describe('rvhsim help', () => {
  it('--help lists both commands and exits 0', async () => {
    const io = captureIo();
    const err = await buildProgram(io)
      .parseAsync(['node', 'rvhsim', '--help'])
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).exitCode).toBe(0);
    expect(io.stdout).toMatch(/Usage: rvhsim/);
    expect(io.stdout).toMatch(/\n\s+run \[options\] \[workload\]/);
    expect(io.stdout).toMatch(/\n\s+workloads \[options\] \[name\]/);
    expect(io.stdout).toMatch(/\n\s+config \[options\]/);
  });

  it('documents every option of every command with its default', () => {
    const program = buildProgram(captureIo());
    // Every command at every depth (sweep plan, sweep run, ...); a command with options says their defaults.
    const all = (c: typeof program): (typeof program)[] => c.commands.flatMap((x) => [x, ...all(x)]);
    for (const cmd of all(program)) {
      const help = cmd.helpInformation();
      for (const opt of cmd.options) {
        expect(help, `${cmd.name()} ${opt.flags}`).toContain(opt.long!);
        // A required option has no default: commander says it is required when it is missing.
        if (opt.mandatory) continue;
        // Either the description says it, or commander prints the declared default beside it.
        if (opt.defaultValue === undefined || typeof opt.defaultValue === 'boolean') expect(opt.description + String(opt.defaultValue), `${cmd.name()} ${opt.flags}`).toMatch(/default|false/);
        else expect(help, `${cmd.name()} ${opt.flags}`).toContain('(default: ');
      }
      if (cmd.options.length > 0) expect(help, cmd.name()).toContain('default');
    }
    const run = program.commands.find((c) => c.name() === 'run')!;
    const help = run.helpInformation();
    for (const flag of ['--config', '--set', '--max-insns', '--commit-log', '--stats', '--stats-txt', '--quiet']) expect(help).toContain(flag);
    expect(help).toMatch(/workloads\/bin\/default\.elf/);
  });

  it('run --help explains the exit codes and where the summary goes', async () => {
    const { code, stdout } = await runMain('run', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Exit codes:/);
    expect(stdout).toMatch(/3 instruction limit reached/);
    expect(stdout).toMatch(/stderr when platform\.uart is "stdout"/);
  });
});

describe('main: exit codes and messages', () => {
  it('prints a user error as "rvhsim: <message>" without a stack and exits 2', async () => {
    const { code, stderr, stdout } = await runMain('config', '--set', 'hart.misaligned=sometimes');
    expect(code).toBe(EXIT_USER_ERROR);
    expect(stdout).toBe('');
    expect(stderr).toBe('rvhsim: config: hart.misaligned: expected one of "trap"|"emulate", got "sometimes" (from --set hart.misaligned=sometimes)\n');
  });

  it('treats an unknown option as a user error (exit 2) with commander\'s message', async () => {
    const { code, stderr } = await runMain('config', '--bogus');
    expect(code).toBe(EXIT_USER_ERROR);
    expect(stderr).toMatch(/^rvhsim: unknown option '--bogus'/);
  });

  it('treats an unknown command as a user error', async () => {
    const { code, stderr } = await runMain('simulate');
    expect(code).toBe(EXIT_USER_ERROR);
    expect(stderr).toMatch(/unknown command 'simulate'/);
  });

  it('rejects a --max-insns that is not a positive integer before running anything', async () => {
    for (const bad of ['0', '-5', '1.5', 'lots']) {
      const { code, stderr } = await runMain('run', '--max-insns', bad);
      expect(code, bad).toBe(EXIT_USER_ERROR);
      expect(stderr, bad).toMatch(/--max-insns <n>.*expected a positive integer/);
    }
  });

  it('prints the stack of an unexpected exception and exits 70', async () => {
    const io = captureIo();
    io.out = () => {
      throw new TypeError('stdout exploded');
    };
    const code = await main(['node', 'rvhsim', 'config', '--show'], io);
    expect(code).toBe(EXIT_INTERNAL);
    expect(io.stderr).toMatch(/^rvhsim: internal error \(this is a bug in rvhsim\):\nTypeError: stdout exploded\n\s+at /);
  });

  it('prints the version', async () => {
    const { code, stdout } = await runMain('--version');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('guestExitStatus', () => {
  it('passes small codes through and never turns a failure into 0', () => {
    expect(guestExitStatus(0)).toBe(0);
    expect(guestExitStatus(1)).toBe(1);
    expect(guestExitStatus(42)).toBe(42);
    expect(guestExitStatus(0x101)).toBe(1);
    expect(guestExitStatus(0x100)).toBe(1);
  });
});
