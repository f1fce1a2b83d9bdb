/*
 * Trap-and-emulate MMIO: the guest's NS16550A UART at GPA 0x1000_0000 is absent from the G-stage,
 * so every access to it raises a load or store guest-page fault in HS (hypervisor.adoc
 * "Guest-Page Faults"). The hv decodes the faulting load/store from htinst's transformed
 * instruction when the hart provides one ("Transformed Instruction or Pseudoinstruction for
 * mtinst or htinst"), otherwise (or when asked) by reading the instruction at sepc with HLVX.HU
 * ("Hypervisor Virtual-Machine Load and Store Instructions": HLVX reads with execute
 * permission, as an instruction fetch would, at the privilege hstatus.SPVP), performs the access
 * on the emulated device and steps the guest past the instruction.
 */
#include "hv-guest.h"

#define UART_THR 0
#define UART_LSR 5
#define LSR_THRE_TEMT 0x60

struct mmio_access {
    int store;
    unsigned width;     /* bytes */
    int sign;           /* loads: sign-extend */
    unsigned reg;       /* rd of a load, rs2 of a store */
    unsigned length;    /* of the trapping instruction: 2 or 4 */
};

/* A 32-bit load or store (rv64.adoc LOAD/STORE formats). 1: decoded. */
static int decode32(uint32_t insn, unsigned length, struct mmio_access *a)
{
    unsigned opcode = insn & 0x7f, funct3 = (insn >> 12) & 7;
    a->length = length;
    if (opcode == 0x03 && funct3 != 7) {
        a->store = 0;
        a->reg = (insn >> 7) & 31;
        a->width = 1u << (funct3 & 3);
        a->sign = !(funct3 & 4);
        return 1;
    }
    if (opcode == 0x23 && funct3 < 4) {
        a->store = 1;
        a->reg = (insn >> 20) & 31;
        a->width = 1u << funct3;
        a->sign = 0;
        return 1;
    }
    return 0;
}

/* The quadrant-0 register-based loads and stores (zca.adoc "Register-Based Loads and Stores"):
 * C.LW, C.LD, C.SW, C.SD with rd'/rs2' in bits 4:2 naming x8..x15. */
static int decode16(uint32_t insn, struct mmio_access *a)
{
    unsigned funct3 = (insn >> 13) & 7;
    if ((insn & 3) != 0)
        return 0;
    a->length = 2;
    a->reg = ((insn >> 2) & 7) + 8;
    a->sign = 1;
    switch (funct3) {
    case 2: a->store = 0; a->width = 4; return 1;
    case 3: a->store = 0; a->width = 8; a->sign = 0; return 1;
    case 6: a->store = 1; a->width = 4; return 1;
    case 7: a->store = 1; a->width = 8; return 1;
    default: return 0;
    }
}

/* A transformed instruction has bit 0 set; bit 1 is clear when the trapping instruction was
 * compressed (hypervisor.adoc "Transformed Instruction ..."): decode it as the 32-bit form. */
static int decode_tinst(uint64_t tinst, struct mmio_access *a)
{
    if (!(tinst & 1))
        return 0;   /* zero or a pseudoinstruction: nothing about the access itself */
    return decode32((uint32_t)tinst | 3, (tinst & 2) ? 4 : 2, a);
}

static uint64_t hlvx_hu(uint64_t va)
{
    uint64_t v;
    __asm__ volatile(H_ASM("hlvx.hu %0, (%1)") : "=r"(v) : "r"(va) : "memory");
    return v;
}

static int decode_hlvx(uint64_t pc, struct mmio_access *a)
{
    uint32_t lo = (uint32_t)hlvx_hu(pc);
    if (insn_length((uint16_t)lo) == 2)
        return decode16(lo, a);
    /* A 32-bit instruction may straddle a page: fetch its halves separately. */
    uint32_t insn = lo | (uint32_t)hlvx_hu(pc + 2) << 16;
    return decode32(insn, 4, a);
}

static int same_access(const struct mmio_access *x, const struct mmio_access *y)
{
    return x->store == y->store && x->width == y->width && x->sign == y->sign && x->reg == y->reg &&
           x->length == y->length;
}

static uint64_t uart_read(unsigned reg)
{
    return reg == UART_LSR ? LSR_THRE_TEMT : 0;   /* the transmitter is always ready */
}

static void uart_write(struct hv_guest *g, unsigned reg, uint64_t v)
{
    if (reg == UART_THR)
        hv_console_putc(g, (char)v);
}

int hv_mmio(struct hv_guest *g, uint64_t cause, uint64_t gpa, uint64_t tinst)
{
    struct mmio_access a, b;
    int have_tinst = decode_tinst(tinst, &a);
    if (have_tinst && hv_cfg.mmio_decode != 1) {
        hv_count(g, HV_STAT_MMIO_TINST);
        if (hv_cfg.mmio_decode == 2) {
            if (decode_hlvx(g->ctx.pc, &b) && same_access(&a, &b))
                hv_count(g, HV_STAT_MMIO_AGREE);
        }
    } else {
        if (!decode_hlvx(g->ctx.pc, &a))
            return 0;
        hv_count(g, HV_STAT_MMIO_HLVX);
    }
    if (a.store != (cause == EXC_STORE_GUEST_PAGE))
        return 0;
    hv_count(g, HV_STAT_MMIO);
    unsigned reg = (unsigned)(gpa - HV_UART_GPA) & 7;
    uint64_t *x = g->ctx.x;
    if (a.store) {
        uart_write(g, reg, x[a.reg]);
    } else if (a.reg != 0) {
        uint64_t v = uart_read(reg);
        unsigned bits = 8 * a.width;
        if (bits < 64) {
            v &= (1UL << bits) - 1;
            if (a.sign && (v >> (bits - 1)) & 1)
                v |= ~0UL << bits;
        }
        x[a.reg] = v;
    }
    g->ctx.pc += a.length;
    return 1;
}
