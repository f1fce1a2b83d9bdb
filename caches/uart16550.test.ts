import { describe, expect, it } from 'vitest';
import { Uart16550 } from './uart16550.js';
import { Word } from './word.js';

const RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

function setup() {
  const out: number[] = [];
  const irqs: boolean[] = [];
  const uart = new Uart16550((b) => out.push(b));
  uart.irq = (level) => irqs.push(level);
  const w = new Word();
  const read = (reg: number, size = 1): number => {
    expect(uart.read(reg, size, w)).toBe(true);
    return w.lo;
  };
  const write = (reg: number, v: number, size = 1) => expect(uart.write(reg, size, v, 0)).toBe(true);
  return { uart, out, irqs, read, write };
}

describe('NS16550A reset state (PC16550D datasheet, Table IV "Reset")', () => {
  it('resets IER, LCR, MCR to 0, IIR to "no interrupt", LSR to THRE|TEMT', () => {
    const { read } = setup();
    expect(read(IER)).toBe(0);
    expect(read(IIR)).toBe(0x01);
    expect(read(LCR)).toBe(0);
    expect(read(MCR)).toBe(0);
    expect(read(LSR)).toBe(0x60);
  });

  it('reports CTS, DSR and DCD asserted in MSR, with no delta bits (QEMU)', () => {
    const { read } = setup();
    expect(read(MSR)).toBe(0xb0);
  });
});

describe('NS16550A transmit and registers', () => {
  it('sends a byte written to THR to the sink and counts it', () => {
    const { uart, out, write } = setup();
    for (const c of 'hi\n') write(THR, c.charCodeAt(0));
    expect(String.fromCharCode(...out)).toBe('hi\n');
    expect(uart.txBytes).toBe(3);
  });

  it('switches offsets 0 and 1 to DLL/DLM while LCR.DLAB is set', () => {
    const { out, read, write } = setup();
    write(IER, 0x05);
    write(LCR, 0x83); // DLAB | 8 data bits
    write(DLL, 0x01);
    write(DLM, 0x02);
    expect(out).toEqual([]); // the DLL write did not transmit
    expect(read(DLL)).toBe(0x01);
    expect(read(DLM)).toBe(0x02);
    write(LCR, 0x03);
    expect(read(LCR)).toBe(0x03);
    expect(read(IER)).toBe(0x05); // IER was untouched by the DLM write
    write(THR, 0x41);
    expect(out).toEqual([0x41]);
    write(LCR, 0x83);
    expect(read(DLL)).toBe(0x01); // the divisor latch kept its value
  });

  it('keeps only the defined bits of IER (3:0) and MCR (4:0); SCR holds any byte', () => {
    const { read, write } = setup();
    write(IER, 0xff);
    expect(read(IER)).toBe(0x0f);
    write(MCR, 0xff);
    expect(read(MCR)).toBe(0x1f);
    write(SCR, 0xa5);
    expect(read(SCR)).toBe(0xa5);
  });

  it('shows FIFO mode in IIR bits 7:6 after FCR enables the FIFOs', () => {
    const { read, write } = setup();
    write(FCR, 0x07);
    expect(read(IIR)).toBe(0xc1);
    write(FCR, 0x00);
    expect(read(IIR)).toBe(0x01);
  });

  it('mirrors the 8 registers through the window and accepts wider accesses (as QEMU)', () => {
    const { out, read, write } = setup();
    write(8 + SCR, 0x5a);
    expect(read(SCR)).toBe(0x5a);
    write(THR, 0x1234_5642, 4);
    expect(out).toEqual([0x42]);
    expect(read(LSR, 4)).toBe(0x60);
  });
});

describe('NS16550A receive', () => {
  it('sets LSR.DR while input is queued and returns it through RBR in order', () => {
    const { uart, read } = setup();
    uart.pushInput([0x61, 0x62]);
    expect(read(LSR) & 1).toBe(1);
    expect(read(RBR)).toBe(0x61);
    expect(read(RBR)).toBe(0x62);
    expect(read(LSR) & 1).toBe(0);
    expect(uart.rxBytes).toBe(2);
  });

  it('discards queued input when FCR resets the receive FIFO', () => {
    const { uart, read, write } = setup();
    write(FCR, 0x01);
    uart.pushInput([1, 2, 3]);
    write(FCR, 0x03);
    expect(read(LSR) & 1).toBe(0);
  });

  it('loops THR back to RBR in loopback mode, and MSR follows MCR (datasheet "Loopback")', () => {
    const { out, read, write } = setup();
    write(MCR, 0x10 | 0x0b); // LOOP | OUT2 | RTS | DTR
    expect(read(MSR)).toBe(0xb0); // DCD | DSR | CTS
    write(MCR, 0x10 | 0x04); // LOOP | OUT1
    expect(read(MSR)).toBe(0x40); // RI
    write(THR, 0x55);
    expect(out).toEqual([]);
    expect(read(RBR)).toBe(0x55);
  });
});

describe('NS16550A interrupts (datasheet Table IV "Interrupt Control Functions")', () => {
  it('raises a THRE interrupt when ETBEI is enabled; reading IIR clears it', () => {
    const { irqs, read, write } = setup();
    write(IER, 0x02);
    expect(irqs).toEqual([true]);
    expect(read(IIR)).toBe(0x02);
    expect(irqs).toEqual([true, false]);
    expect(read(IIR)).toBe(0x01);
  });

  it('raises THRE again after each transmitted byte (THR empties at once)', () => {
    const { irqs, read, write } = setup();
    write(IER, 0x02);
    read(IIR);
    write(THR, 0x41);
    expect(irqs).toEqual([true, false, true]);
    write(IER, 0x00); // disabling ETBEI drops the line
    expect(irqs.at(-1)).toBe(false);
  });

  it('raises a received-data interrupt while data is available and ERBFI is set', () => {
    const { uart, irqs, read, write } = setup();
    uart.pushInput([0x31]);
    expect(irqs).toEqual([]); // not enabled yet
    write(IER, 0x01);
    expect(irqs).toEqual([true]);
    expect(read(IIR)).toBe(0x04);
    expect(read(RBR)).toBe(0x31);
    expect(irqs).toEqual([true, false]);
  });

  it('gives received data priority over THRE', () => {
    const { uart, read, write } = setup();
    write(IER, 0x03);
    uart.pushInput([0x31]);
    expect(read(IIR)).toBe(0x04);
    read(RBR);
    expect(read(IIR)).toBe(0x02);
  });

  it('reports a character timeout below the FIFO trigger level and data-available at it', () => {
    const { uart, read, write } = setup();
    write(FCR, 0x41); // FIFO on, trigger level 4
    write(IER, 0x01);
    uart.pushInput([1, 2, 3]);
    expect(read(IIR)).toBe(0xcc);
    uart.pushInput([4]);
    expect(read(IIR)).toBe(0xc4);
  });
});
