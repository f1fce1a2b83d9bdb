/*
 * The register context of code running one level down, shared by the hypervisor (HS-mode running
 * a guest at V=1) and the guest kernel (VS-mode running a process in VU). Both use the same
 * supervisor CSR names: in VS-mode sscratch, sepc, scause, stval and sstatus are the VS CSRs
 * (hypervisor.adoc "When V=1, the VS CSRs substitute for the corresponding supervisor CSRs"), so
 * one switch routine (hv-switch.S) serves both levels.
 *
 * ctx_enter(c) saves its caller's callee-saved registers in c->host, loads the lower context and
 * SRETs into it; the next trap from below stores the lower context back into c (the vector finds
 * c through sscratch) and returns from ctx_enter with the trap's scause. While the supervisor
 * itself runs, sscratch is 0: a trap taken then is a bug and goes to the level's fatal handler.
 *
 * Included by C and by assembler: offsets in bytes.
 */
#ifndef RVHSIM_HV_CTX_H
#define RVHSIM_HV_CTX_H

#define CTX_X       0           /* x0..x31 (x2 = the lower sp) */
#define CTX_PC      (32 * 8)    /* sepc: where ctx_enter resumes the lower context */
#define CTX_STATUS  (33 * 8)    /* sstatus at the trap; ctx_enter writes back SPP and SPIE */
#define CTX_CAUSE   (34 * 8)
#define CTX_TVAL    (35 * 8)
#define CTX_HOST    (36 * 8)    /* ra, sp, gp, tp, s0..s11 of ctx_enter's caller */
#define CTX_BYTES   (52 * 8)

/* sstatus bits ctx_enter restores from CTX_STATUS (SPIE bit 5, SPP bit 8). */
#define CTX_STATUS_MASK 0x120

#ifndef __ASSEMBLER__
#include <stdint.h>

struct lower_ctx {
    uint64_t x[32];
    uint64_t pc;
    uint64_t status;
    uint64_t cause;
    uint64_t tval;
    uint64_t host[16];
};

_Static_assert(sizeof(struct lower_ctx) == CTX_BYTES, "struct lower_ctx must match hv-ctx.h offsets");

/* Runs the lower context until its next trap; returns that trap's scause (the context holds the
 * registers, pc = sepc, status, cause and tval). The caller sets up the rest of the return state
 * (HS: hstatus.SPV=1 and the guest's CSRs; VS: the process's address space). */
uint64_t ctx_enter(struct lower_ctx *c);

/* The trap vectors: hv_trap_vector for stvec in HS, guest_trap_vector for the guest's stvec
 * (vstvec). A trap taken while the supervisor itself runs calls hv_self_trap / guest_self_trap,
 * which report it and stop. */
void hv_trap_vector(void);
void guest_trap_vector(void);
void hv_self_trap(void) __attribute__((noreturn));
void guest_self_trap(void) __attribute__((noreturn));
#endif

#endif
