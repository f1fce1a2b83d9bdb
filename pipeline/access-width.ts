import { R } from './int64.js';
import { Op } from './ops.js';

/**
 * Width and extension of the explicit memory accesses, in one place for the interpreter, the
 * block code generator and HLV/HLVX/HSV (rv64.adoc loads and stores; hypervisor.adoc HLV/HSV).
 */

/** Bytes read by a load (LB..LWU, HLV.*, HLVX.*). */
export function loadSize(op: Op): number {
  switch (op) {
    case Op.LB: case Op.LBU: case Op.HLV_B: case Op.HLV_BU:
      return 1;
    case Op.LH: case Op.LHU: case Op.HLV_H: case Op.HLV_HU: case Op.HLVX_HU:
      return 2;
    case Op.LD: case Op.HLV_D:
      return 8;
    default:
      return 4;
  }
}

/** Whether a load sign-extends its value (the unsigned forms and HLVX zero-extend). */
export function loadSigned(op: Op): boolean {
  switch (op) {
    case Op.LB: case Op.LH: case Op.LW: case Op.LD: case Op.HLV_B: case Op.HLV_H: case Op.HLV_W: case Op.HLV_D:
      return true;
    default:
      return false;
  }
}

/** Bytes written by a store (SB..SD, HSV.*). */
export function storeSize(op: Op): number {
  return op >= Op.HSV_B ? 1 << (op - Op.HSV_B) : 1 << (op - Op.SB);
}

/** The 64-bit register value of a loaded (lo, hi) of `size` bytes, into R. */
export function extendLoad(lo: number, hi: number, size: number, signed: boolean): void {
  if (size === 8) {
    R.lo = lo;
    R.hi = hi;
    return;
  }
  const shift = 32 - 8 * size;
  R.lo = signed ? (lo << shift) >> shift : size === 4 ? lo : lo & ((1 << (8 * size)) - 1);
  R.hi = signed ? R.lo >> 31 : 0;
}
