import { ConfigError } from '../common/errors.js';
import type { StatScope } from '../common/stats.js';
import { Bus } from './bus.js';
import { Clint, CLINT_SIZE } from './clint.js';
import { Clock } from './clock.js';
import type { MmioDevice } from './device.js';
import { Plic, PLIC_SIZE } from './plic.js';
import { CHUNK_SIZE } from './sparse-memory.js';
import { FINISHER_SIZE, TestFinisher } from './test-finisher.js';
import { Uart16550, UART_SIZE } from './uart16550.js';

/** QEMU virt's memory map (hw/riscv/virt.c, virt_memmap) for the devices this platform has. */
export const VIRT = {
  finisher: 0x10_0000,
  clint: 0x200_0000,
  plic: 0xc00_0000,
  uart0: 0x1000_0000,
  dram: 0x8000_0000,
} as const;

/** QEMU virt: UART0 is PLIC source 10 (hw/riscv/virt.h, UART0_IRQ). */
export const UART0_IRQ = 10;
/** QEMU virt's PLIC: interrupt identifiers 0..95 (0 is "no interrupt"). */
export const VIRT_PLIC_SOURCES = 96;

export interface PlatformConfig {
  dramBase: number;
  dramSizeMiB: number;
  cpuHz: number;
  timebaseHz: number;
}

export interface PlatformIo {
  uartOut: (byte: number) => void;
  onExit: (code: number, reason: string) => void;
}

export interface Platform {
  bus: Bus;
  clock: Clock;
  clint: Clint;
  plic: Plic;
  uart: Uart16550;
  finisher: TestFinisher;
}

/** DRAM plus the QEMU virt devices, wired together (UART interrupt line to PLIC source 10). */
export function buildPlatform(cfg: PlatformConfig, io: PlatformIo): Platform {
  if (cfg.dramBase % CHUNK_SIZE !== 0) {
    throw new ConfigError(`platform.dramBase 0x${cfg.dramBase.toString(16)} must be a multiple of 0x${CHUNK_SIZE.toString(16)}`);
  }
  if (cfg.dramBase + cfg.dramSizeMiB * 2 ** 20 > 2 ** 53) {
    throw new ConfigError(`platform.dramBase + platform.dramSizeMiB exceeds the 2^53 physical address range`);
  }
  const bus = new Bus(cfg.dramBase, cfg.dramSizeMiB * 2 ** 20);
  const clock = new Clock(cfg.cpuHz, cfg.timebaseHz);
  const clint = new Clint(clock, 1);
  const plic = new Plic(VIRT_PLIC_SOURCES, 2);
  const uart = new Uart16550(io.uartOut);
  const finisher = new TestFinisher((code, reason) => io.onExit(code, reason));
  uart.irq = (level) => plic.setSource(UART0_IRQ, level);

  const devices: [number, number, MmioDevice][] = [
    [VIRT.finisher, FINISHER_SIZE, finisher],
    [VIRT.clint, CLINT_SIZE, clint],
    [VIRT.plic, PLIC_SIZE, plic],
    [VIRT.uart0, UART_SIZE, uart],
  ];
  for (const [base, size, dev] of devices) {
    // The device map is fixed; only a user's DRAM placement can collide with it.
    if (base < bus.dram.base + bus.dram.size && bus.dram.base < base + size) {
      throw new ConfigError(`platform.dramBase/dramSizeMiB: DRAM overlaps ${dev.name} at 0x${base.toString(16)}`);
    }
    bus.addDevice(base, size, dev);
  }
  return { bus, clock, clint, plic, uart, finisher };
}

/** Statistics of the platform devices, registered under the caller's scope. */
export function registerPlatformStats(p: Platform, scope: StatScope): void {
  scope.register('uart.txBytes', 'bytes', 'Bytes the guest transmitted through UART0', () => p.uart.txBytes);
  scope.register('uart.rxBytes', 'bytes', 'Bytes the guest read from UART0', () => p.uart.rxBytes);
  scope.register('plic.claims', 'count', 'PLIC claims that returned an interrupt', () => p.plic.claims);
  scope.register('dram.residentBytes', 'bytes', 'DRAM actually allocated (touched 1 MiB chunks)', () => p.bus.dram.residentBytes);
  scope.register('clock.mtime', 'ticks', 'mtime at the end of the run', () => p.clock.mtime());
}
