/**
 * Runs an ELF on rvhsim the way the differential tests compare it with QEMU: UART captured, and
 * the hart configured like QEMU 7.2's rv64: misaligned loads and stores are performed, not
 * trapped (QEMU 7.2 target/riscv does not raise address-misaligned for them; LR/SC/AMOs still
 * trap on both).
 */
import { machineConfigSchema, type MachineConfig, type MachineConfigInput } from '../../pipeline/config.js';
import { Machine } from '../../pipeline/machine.js';
import { parseElf } from '../../workloads/elf.js';
import type { IsaProfile } from './illegal-encodings.js';

export interface RvhsimResult {
  uart: string;
  reason: string;
  exitCode: number;
  instret: number;
  message: string;
}

export function diffConfig(overrides: { blockTranslation?: boolean; maxInsns?: number } = {}): MachineConfig {
  const input: MachineConfigInput = {
    platform: { uart: 'capture' },
    hart: { misaligned: 'emulate', blockTranslation: overrides.blockTranslation ?? true },
    run: { maxInsns: overrides.maxInsns ?? 50_000_000 },
  };
  return machineConfigSchema.parse(input);
}

export function loadMachine(elf: Uint8Array, config: MachineConfig, name = 'program.elf'): Machine {
  const m = new Machine(config);
  m.load(parseElf(elf, name));
  return m;
}

export function runOnRvhsim(elf: Uint8Array, overrides: { blockTranslation?: boolean; maxInsns?: number } = {}, name?: string): RvhsimResult {
  const m = loadMachine(elf, diffConfig(overrides), name);
  const r = m.run();
  return { uart: m.uartText, reason: r.reason, exitCode: r.exitCode, instret: r.instret, message: r.message };
}

/** The optional extensions rvhsim implements, from its reset misa (machine.adoc "misa": bit 7 = H). */
export function rvhsimIsa(): IsaProfile {
  const misa = new Machine(diffConfig()).debugState().csr('misa') ?? 0n;
  return { h: ((misa >> 7n) & 1n) === 1n };
}
