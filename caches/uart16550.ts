import type { MmioDevice } from './device.js';
import type { Word } from './word.js';

/**
 * An NS16550A UART as QEMU virt maps it (0x1000_0000, byte registers, reg-shift 0). Register
 * names, bits and reset values follow the National Semiconductor PC16550D datasheet, "Register
 * Description" (Table II) and "Reset" (Table IV):
 *
 *   0  RBR (read) / THR (write); DLL when LCR.DLAB=1
 *   1  IER; DLM when LCR.DLAB=1
 *   2  IIR (read) / FCR (write)
 *   3  LCR    4  MCR    5  LSR    6  MSR    7  SCR
 *
 * Transmission is instantaneous: a byte written to THR goes straight to the sink, so LSR always
 * reports THRE and TEMT. Received bytes come from pushInput(); they wait in a queue (the receive
 * FIFO, unbounded: overruns are not modelled). Line errors, break and modem-status changes never
 * happen. As on QEMU, any access size reaches the register at the offset (the value is the
 * register's byte) and the 8 registers repeat through the 256-byte window.
 */
export const UART_SIZE = 0x100;

const IER_ERBFI = 0x01; // enable received data available interrupt
const IER_ETBEI = 0x02; // enable transmitter holding register empty interrupt
const IIR_NO_INT = 0x01;
const IIR_THRE = 0x02;
const IIR_RDA = 0x04;
const IIR_CTI = 0x0c; // character timeout indication (FIFO mode)
const IIR_FIFOS_ENABLED = 0xc0;
const FCR_FIFO_ENABLE = 0x01;
const FCR_RX_RESET = 0x02;
const LCR_DLAB = 0x80;
const MCR_LOOP = 0x10;
const LSR_DR = 0x01;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
/** MSR inputs at reset: CTS, DSR and DCD asserted, as a connected terminal drives them (QEMU). */
const MSR_CONNECTED = 0xb0;
/** FCR bits 7:6 select the receive FIFO trigger level (datasheet, "FIFO Control Register"). */
const RX_TRIGGER = [1, 4, 8, 14] as const;

export class Uart16550 implements MmioDevice {
  readonly name = 'uart0';
  /** The interrupt line (INTR); the platform wires it to a PLIC source. Called on changes only. */
  irq: ((level: boolean) => void) | null = null;
  /** Statistics: bytes transmitted to the sink and bytes the guest received. */
  txBytes = 0;
  rxBytes = 0;

  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private dll = 0;
  private dlm = 0;
  private fifoEnabled = false;
  private rxTrigger = 1;
  /** THRE interrupt latched: set when THR empties, cleared by reading IIR or writing THR. */
  private thrIpending = false;
  private readonly rx: number[] = [];
  private rxHead = 0;
  private irqLevel = false;

  constructor(private readonly sink: (byte: number) => void) {}

  /** Queue bytes for the guest to read from RBR. */
  pushInput(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.rx.push(bytes[i]! & 0xff);
    this.updateIrq();
  }

  read(offset: number, _size: number, out: Word): boolean {
    out.lo = this.readReg(offset & 7);
    out.hi = 0;
    return true;
  }

  write(offset: number, _size: number, lo: number, _hi: number): boolean {
    this.writeReg(offset & 7, lo & 0xff);
    return true;
  }

  private get rxCount(): number {
    return this.rx.length - this.rxHead;
  }

  private readReg(reg: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (reg) {
      case 0:
        return dlab ? this.dll : this.readRbr();
      case 1:
        return dlab ? this.dlm : this.ier;
      case 2:
        return this.readIir();
      case 3:
        return this.lcr;
      case 4:
        return this.mcr;
      case 5:
        return (this.rxCount > 0 ? LSR_DR : 0) | LSR_THRE | LSR_TEMT;
      case 6:
        return this.msr();
      default:
        return this.scr;
    }
  }

  private writeReg(reg: number, v: number): void {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (reg) {
      case 0:
        if (dlab) this.dll = v;
        else this.transmit(v);
        break;
      case 1:
        if (dlab) {
          this.dlm = v;
          break;
        }
        // Datasheet "Interrupt Enable Register": bits 7:4 are always zero. Enabling ETBEI while
        // THR is empty raises the THRE interrupt at once; disabling it withdraws the request.
        if ((v & IER_ETBEI) !== 0 && (this.ier & IER_ETBEI) === 0) this.thrIpending = true;
        this.ier = v & 0x0f;
        break;
      case 2:
        this.writeFcr(v);
        break;
      case 3:
        this.lcr = v;
        break;
      case 4:
        // Datasheet "Modem Control Register": bits 7:5 are always zero.
        this.mcr = v & 0x1f;
        break;
      case 5:
      case 6:
        // LSR and MSR are status registers; writes have no effect here (factory test only).
        break;
      default:
        this.scr = v;
    }
    this.updateIrq();
  }

  private readRbr(): number {
    if (this.rxCount === 0) return 0;
    const b = this.rx[this.rxHead++]!;
    this.rxBytes++;
    if (this.rxHead === this.rx.length) {
      this.rx.length = 0;
      this.rxHead = 0;
    }
    this.updateIrq();
    return b;
  }

  /** Datasheet "Loopback": with MCR.LOOP set, the transmitter feeds the receiver instead of SOUT. */
  private transmit(v: number): void {
    if ((this.mcr & MCR_LOOP) !== 0) {
      this.rx.push(v);
    } else {
      this.txBytes++;
      this.sink(v);
    }
    // The byte leaves at once, so THR is empty again: the THRE interrupt is re-armed.
    this.thrIpending = true;
  }

  private writeFcr(v: number): void {
    const enable = (v & FCR_FIFO_ENABLE) !== 0;
    // Datasheet "FIFO Control Register": changing FCR0 clears both FIFOs; FCR1 clears the
    // receive FIFO (the transmit FIFO is always empty here, so FCR2 has nothing to clear).
    if (enable !== this.fifoEnabled || (v & FCR_RX_RESET) !== 0) {
      this.rx.length = 0;
      this.rxHead = 0;
    }
    this.fifoEnabled = enable;
    this.rxTrigger = RX_TRIGGER[v >>> 6]!;
  }

  /** Datasheet Table IV, "Interrupt Control Functions": the highest-priority pending source. */
  private identify(): number {
    if ((this.ier & IER_ERBFI) !== 0 && this.rxCount > 0) {
      // Below the trigger level a FIFO reports a character timeout; that timer is not modelled,
      // so the timeout is reported at once (time is deterministic and cycle-derived elsewhere).
      return this.fifoEnabled && this.rxCount < this.rxTrigger ? IIR_CTI : IIR_RDA;
    }
    if ((this.ier & IER_ETBEI) !== 0 && this.thrIpending) return IIR_THRE;
    return IIR_NO_INT;
  }

  private readIir(): number {
    const id = this.identify();
    // Datasheet: reading IIR when THRE is the source clears that interrupt.
    if (id === IIR_THRE) {
      this.thrIpending = false;
      this.updateIrq();
    }
    return id | (this.fifoEnabled ? IIR_FIFOS_ENABLED : 0);
  }

  /** In loopback the modem inputs follow the outputs: CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2. */
  private msr(): number {
    if ((this.mcr & MCR_LOOP) === 0) return MSR_CONNECTED;
    const m = this.mcr;
    return ((m & 0x02) << 3) | ((m & 0x01) << 5) | ((m & 0x04) << 4) | ((m & 0x08) << 4);
  }

  private updateIrq(): void {
    const level = this.identify() !== IIR_NO_INT;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.irq?.(level);
  }
}
