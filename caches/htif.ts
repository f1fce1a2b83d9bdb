import { UserError } from '../common/errors.js';
import { PAGE_WATCHED, type Bus } from './bus.js';
import { Word } from './word.js';

/**
 * Spike's host-target interface, for ELFs that define the `tohost`/`fromhost` symbols (riscv-tests,
 * pk-style programs). Both words live in DRAM, so there is no MMIO window: the device marks the
 * tohost page PAGE_WATCHED and the bus calls it after every store that touches tohost.
 *
 * A command is the 64-bit word  device[63:56] | cmd[55:48] | payload[47:0]  (Spike fesvr,
 * htif.cc / device.cc). As in Spike, the host reads a non-zero tohost, clears it to 0, then
 * handles the command:
 *
 *   device 0, cmd 0, payload bit 0 = 1   exit with code tohost >> 1 (riscv-tests' pass is 1)
 *   device 0, cmd 0, payload bit 0 = 0   proxied syscall: payload is the physical address of
 *                                        magic_mem = {which, a0, a1, a2}; the result goes to
 *                                        magic_mem[0] and fromhost = 1 (riscv-tests' printf)
 *   device 1, cmd 1                      console putchar of the payload's low byte; acked with
 *                                        fromhost = 1<<56 | 1<<48 (pk/OpenSBI accept it)
 *   anything else                        ignored (tohost is still cleared)
 *
 * Only SYS_write to fd 1/2 and SYS_exit are proxied; other syscalls return -ENOSYS so that a
 * waiting guest does not hang. Commands are handled synchronously at the store, so a response
 * never queues behind another: fromhost is simply overwritten. A 64-bit guest writes tohost with
 * one doubleword store; a store to only half of tohost is handled with the other half as it is.
 * Cold path, so BigInt throughout.
 */
const SYS_WRITE = 64n;
const SYS_EXIT = 93n;
const ENOSYS = 38n;
const EBADF = 9n;
const EFAULT = 14n;
const PAYLOAD_MASK = (1n << 48n) - 1n;
const U64 = (1n << 64n) - 1n;

export class Htif {
  /** Statistic: commands taken from tohost. */
  commands = 0;
  private readonly word = new Word();

  constructor(
    private readonly bus: Bus,
    private readonly tohostPa: number,
    private readonly fromhostPa: number | null,
    private readonly onExit: (code: number) => void,
    private readonly putchar: (byte: number) => void,
  ) {
    requireDramWord(bus, 'tohost', tohostPa);
    if (fromhostPa !== null) requireDramWord(bus, 'fromhost', fromhostPa);
    bus.setPageFlag(tohostPa, PAGE_WATCHED);
    bus.onStore((pa, size) => {
      if (pa < tohostPa + 8 && tohostPa < pa + size) this.poll();
    });
  }

  /** Take and handle a command if tohost holds one. */
  poll(): void {
    const value = this.load64(this.tohostPa);
    if (value === 0n) return;
    this.store64(this.tohostPa, 0n);
    this.commands++;
    const device = value >> 56n;
    const cmd = (value >> 48n) & 0xffn;
    const payload = value & PAYLOAD_MASK;
    if (device === 0n && cmd === 0n) {
      if ((payload & 1n) === 1n) this.onExit(Number(value >> 1n));
      else this.syscall(payload);
    } else if (device === 1n && cmd === 1n) {
      this.putchar(Number(payload & 0xffn));
      this.respond((1n << 56n) | (1n << 48n));
    }
  }

  /** Spike's syscall proxy (fesvr syscall.cc), reduced to what bare-metal printf and exit need. */
  private syscall(magicPa: bigint): void {
    const at = Number(magicPa);
    if (!this.bus.dram.contains(at, 32)) return;
    const which = this.load64(at);
    const a0 = this.load64(at + 8);
    const a1 = this.load64(at + 16);
    const a2 = this.load64(at + 24);
    if (which === SYS_EXIT) {
      this.onExit(Number(a0 & 0xffff_ffffn));
      return;
    }
    const result = which === SYS_WRITE ? this.sysWrite(a0, a1, a2) : -ENOSYS;
    this.store64(at, result & U64);
    this.respond(1n);
  }

  private sysWrite(fd: bigint, buf: bigint, len: bigint): bigint {
    if (fd !== 1n && fd !== 2n) return -EBADF;
    if (!this.bus.dram.contains(Number(buf), Number(len))) return -EFAULT;
    for (const b of this.bus.dram.readBytes(Number(buf), Number(len))) this.putchar(b);
    return len;
  }

  private respond(value: bigint): void {
    if (this.fromhostPa !== null) this.store64(this.fromhostPa, value);
  }

  private load64(pa: number): bigint {
    this.bus.load(pa, 8, this.word);
    return (BigInt(this.word.hi >>> 0) << 32n) | BigInt(this.word.lo >>> 0);
  }

  /** Through the bus, so that other store hooks (code invalidation) see host writes too. */
  private store64(pa: number, value: bigint): void {
    this.bus.store(pa, 8, Number(value & 0xffff_ffffn) | 0, Number(value >> 32n) | 0);
  }
}

function requireDramWord(bus: Bus, symbol: string, pa: number): void {
  if (pa % 8 !== 0 || !bus.dram.contains(pa, 8)) {
    throw new UserError(`${symbol} at 0x${pa.toString(16)} is not an aligned doubleword in DRAM`);
  }
}
