import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseQemuLog, QemuLogParser } from './qemu-log.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'latin1');

describe('QEMU 7.2 -d cpu log parser (fixtures/README.md)', () => {
  const log = fixture('qemu72-cpu-log.txt');
  const states = parseQemuLog(log);

  it('yields one state per executed instruction, boot ROM first', () => {
    expect(states.map((s) => s.pc.toString(16))).toEqual([
      '1000', '1004', '1008', '100c', '1010', '1014',
      '80000000', '80000004', '80000008', '8000000c', '80000010', '80000014',
      '8000002c', '80000030', '80000034', '80000038',
      '80000018', '8000001c', '80000020', '80000024', '80000028',
    ]);
  });

  it('reads all 32 registers as the state before the instruction at pc', () => {
    const at = (pc: bigint) => states.find((s) => s.pc === pc)!;
    expect(at(0x1000n).x).toEqual(new Array(32).fill(0n));
    expect(at(0x8000_0000n).x[5]).toBe(0x8000_0000n); // t0: the boot ROM's jump register
    expect(at(0x8000_0000n).x[11]).toBe(0x87e0_0000n); // a1: device tree address
    expect(at(0x8000_0010n).x[10]).toBe(0xffff_ffff_ffff_fff9n); // a0 = -7
    expect(at(0x8000_0014n).x[11]).toBe(93n); // a1 = a0 + 100
    expect(at(0x8000_001cn).x[12]).toBe(0x123n);
  });

  it('reads the CSRs QEMU prints and attaches the -d int trap line to the state at the trap vector', () => {
    const handler = states[12]!;
    expect(handler.pc).toBe(0x8000_002cn);
    expect(handler.trap).toEqual({ async: false, cause: 11n, epc: 0x8000_0014n, tval: 0n, desc: 'machine_ecall' });
    expect(handler.csrs.get('mcause')).toBe(11n);
    expect(handler.csrs.get('mepc')).toBe(0x8000_0014n);
    expect(handler.csrs.get('mtvec')).toBe(0x8000_002cn);
    expect(handler.csrs.get('mstatus')).toBe(0xa_0000_1800n); // MPP = M after a trap from M
    expect(states.filter((s) => s.trap !== undefined)).toHaveLength(1);
    expect(handler.virt).toBeUndefined();
  });

  it('keeps QEMU’s disassembly by address', () => {
    const p = new QemuLogParser();
    p.push(log);
    expect(p.disasm.get(0x8000_0014n)).toBe('00000073 ecall');
    expect(p.disasm.get(0x8000_000cn)).toBe('ff900513 addi a0,zero,-7');
  });

  it('gives the same states when the log arrives in arbitrary chunks', () => {
    const p = new QemuLogParser();
    const streamed = [];
    for (let i = 0; i < log.length; i += 97) streamed.push(...p.push(log.slice(i, i + 97)));
    streamed.push(...p.end());
    expect(streamed).toEqual(states);
  });

  it('reads the virtualization mode and hypervisor CSRs when H is enabled', () => {
    const h = parseQemuLog(fixture('qemu72-cpu-log-h.txt'));
    expect(h).toHaveLength(3);
    expect(h.every((s) => s.virt === 0)).toBe(true);
    expect(h[1]!.csrs.get('mideleg')).toBe(0x1444n); // VS-level interrupts and SGEI delegated, read-only one (hypervisor.adoc)
    expect(h[0]!.csrs.get('hstatus')).toBe(0x2_0000_0000n);
  });
});
