/*
 * The guest kernel's runtime (VS-mode, under hv.h): its trap vector, SBI calls to the hypervisor,
 * and processes that run in VU-mode in their own address space (vsatp with an ASID).
 *
 * In VS-mode the supervisor CSR names reach the VS CSRs (hypervisor.adoc "When V=1, the VS CSRs
 * substitute for the corresponding supervisor CSRs"): satp below is vsatp, stvec vstvec, and so
 * on; SFENCE.VMA fences the guest's own translations. The console is the runtime's printf, whose
 * UART accesses the hv emulates, or sbi_putchar.
 */
#ifndef RVHSIM_GUEST_H
#define RVHSIM_GUEST_H

#include "hv-ctx.h"
#include "hv-sbi.h"
#include "pt.h"
#include "priv.h"

/* Installs the guest's trap vector (its stvec, i.e. vstvec) with sscratch = 0 (kernel running)
 * and records the satp the kernel started with in guest_boot_satp: Bare, except with
 * memvirt=direct, where the hv starts the guest on a boot table (there is no Bare to go back to:
 * hgatp is Bare too, so vsatp Bare would reach host physical memory). */
void guest_init(void);
extern uint64_t guest_boot_satp;

struct sbiret {
    long error;
    uint64_t value;
};

/* ECALL to the hypervisor (SBI spec "Binary Encoding"). */
struct sbiret sbi_call(uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

void sbi_putchar(char c);
void sbi_puts(const char *s);
/* SRST shutdown with the program's exit code (0: reason "none"; else a vendor reason carrying it). */
void sbi_shutdown(int code) __attribute__((noreturn));
/* RFENCE remote_sfence_vma(_asid) for this hart: the hv executes HFENCE.VVMA for the guest. */
long sbi_remote_sfence_vma(uint64_t start, uint64_t size);
long sbi_remote_sfence_vma_asid(uint64_t start, uint64_t size, uint64_t asid);
/* RVHS remap: the hv moves the page holding gpa to another host page. */
long sbi_remap(uint64_t gpa);
/* RVHS stats: one of the hv's event counts for this guest (HV_STAT_*). */
uint64_t sbi_hv_stat(uint64_t which);
/* RVHS guest_state: 0 while guest k runs, else 1 | exit code << 1. */
uint64_t sbi_guest_state(uint64_t k);
/* RVHS frame (memvirt=direct): the host physical address of the guest RAM page at gpa, ~0 if none. */
uint64_t sbi_frame(uint64_t gpa);
/* RVHS fence: the hv executes exactly the HFENCE `kind` names (HV_FENCE_*, hv-sbi.h). */
long sbi_hv_fence(uint64_t kind, uint64_t addr, uint64_t count, uint64_t asid);

/* A process: its registers and its address space (vsatp value; ASID in bits 59:44). */
struct guest_proc {
    struct lower_ctx ctx;
    uint64_t satp;
};

/*
 * Runs p in VU-mode from p->ctx.pc until it traps to the guest kernel; returns the trap's cause
 * (p->ctx holds its registers). Switches vsatp to p->satp first; a switch to ASID 0 (untagged)
 * is followed by SFENCE.VMA (supervisor.adoc "Supervisor Memory-Management Fence Instruction":
 * ASID 0 shared by every address space needs a full fence on a switch).
 */
uint64_t guest_run(struct guest_proc *p);

/* The ECALL a process makes to end: a7 = GUEST_SYS_EXIT, a0 = result. guest_exit_stub is the
 * return address to give a process's entry function. */
#define GUEST_SYS_EXIT 93UL
void guest_exit_stub(void);

#endif
