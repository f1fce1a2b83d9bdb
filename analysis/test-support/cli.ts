import { main, type CliIo } from '../cli.js';

/** Runs the rvhsim CLI in-process on argv (without `node rvhsim`); returns its exit code and what it printed. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), exitCode: 0 };
  const code = await main(['node', 'rvhsim', ...argv], io);
  return { code, out, err };
}
