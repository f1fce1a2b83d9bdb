/**
 * Test-only bridge to the GNU cross binutils: disassembles raw encodings so decoder tests can
 * compare mnemonics with an independent decoder. Optional: callers skip when the tools are absent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const AS = 'riscv64-unknown-elf-as';
const OBJDUMP = 'riscv64-unknown-elf-objdump';

/** The extensions rvhsim decodes, so that objdump leaves everything else undecoded. */
export const CROSS_CHECK_MARCH = 'rv64imac_zicsr_zifencei_h_svinval';

export function crossToolsAvailable(): boolean {
  try {
    execFileSync(AS, ['--version'], { stdio: 'ignore' });
    execFileSync(OBJDUMP, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface RawInstruction {
  bits: number;
  len: 2 | 4;
}

/**
 * objdump's mnemonic for each instruction (with -M no-aliases), or its data directive
 * ('.2byte', '.4byte') when it does not recognise the encoding.
 */
export function disassemble(insns: readonly RawInstruction[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'rvhsim-objdump-'));
  try {
    const src = insns.map((i) => `.insn ${i.len}, 0x${(i.bits >>> 0).toString(16)}`).join('\n');
    writeFileSync(join(dir, 'a.s'), `${src}\n`);
    execFileSync(AS, [`-march=${CROSS_CHECK_MARCH}`, '-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    const text = execFileSync(OBJDUMP, ['-d', '-z', '-M', 'no-aliases,numeric', join(dir, 'a.o')], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const byAddress = new Map<number, string>();
    for (const line of text.split('\n')) {
      const m = /^\s*([0-9a-f]+):\s+[0-9a-f]+\s+(\S+)/.exec(line);
      if (m) byAddress.set(parseInt(m[1]!, 16), m[2]!);
    }
    const out: string[] = [];
    let addr = 0;
    for (const i of insns) {
      const mnemonic = byAddress.get(addr);
      if (mnemonic === undefined) throw new Error(`objdump printed nothing at offset ${addr}`);
      out.push(mnemonic);
      addr += i.len;
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
