import type { MmioDevice } from './device.js';
import type { Word } from './word.js';

/**
 * SiFive's test finisher ("sifive,test0", QEMU virt at 0x0010_0000): the guest ends the run by
 * writing a status word to offset 0. The low 16 bits select the action and, for FAIL, the high
 * 16 bits carry the exit code (QEMU hw/misc/sifive_test.c):
 *
 *   0x5555              pass, exit code 0
 *   (code << 16) 0x3333 fail with `code`
 *   0x7777              reset request; this simulator has no reset, so it ends the run
 *
 * Other status words and writes at other offsets are ignored. Reads return 0. As on QEMU only
 * 2- and 4-byte accesses are valid (others fault).
 */
export const FINISHER_SIZE = 0x1000;
export type FinisherReason = 'pass' | 'fail' | 'reset';

const FINISHER_FAIL = 0x3333;
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;

export class TestFinisher implements MmioDevice {
  readonly name = 'test-finisher';

  constructor(private readonly onExit: (code: number, reason: FinisherReason) => void) {}

  read(_offset: number, size: number, out: Word): boolean {
    if (size !== 2 && size !== 4) return false;
    out.lo = 0;
    out.hi = 0;
    return true;
  }

  write(offset: number, size: number, lo: number, _hi: number): boolean {
    if (size !== 2 && size !== 4) return false;
    if (offset !== 0) return true;
    const status = lo & 0xffff;
    const code = size === 4 ? (lo >>> 16) & 0xffff : 0;
    if (status === FINISHER_PASS) this.onExit(0, 'pass');
    else if (status === FINISHER_FAIL) this.onExit(code, 'fail');
    else if (status === FINISHER_RESET) this.onExit(0, 'reset');
    return true;
  }
}
