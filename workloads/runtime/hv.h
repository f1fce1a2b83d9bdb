/*
 * hv: a minimal type-1 hypervisor in HS-mode (hypervisor.adoc), linked into every program that
 * runs a guest (the bench-* kernels in modes 3 and 4, hv-demo).
 *
 * hv_boot() is called from M-mode: it delegates the guests' traps to HS (medeleg/mideleg),
 * hands the hart to HS-mode and there builds one G-stage table per guest, enters guest 0 in
 * VS-mode with SRET and from then on runs the guests until every one has shut down through SBI;
 * the run's exit code is the first nonzero guest exit code (guest order), else 0.
 *
 * Guest memory (each guest's guest-physical address space):
 *   GPA [0x8000_0000, image end)   the program image (code, data, bss and the boot stack)
 *   GPA [mem_gpa, mem_gpa + mem_size)  the guest's data memory (the bench arena), if any
 *   GPA 0x1000_0000 (4 KiB)        the UART, never mapped: the hv emulates it from the guest-page
 *                                  fault (trap-and-emulate MMIO, hv-mmio.c)
 * Guest 0 is mapped at the same host addresses (it shares the hv's image; the hv and the guest
 * kernel use disjoint variables), guest k >= 1 at host address + k * stride over a private copy
 * of the image made at boot (stride: the guest's span rounded up to the G-stage leaf size), so
 * the same link addresses work in every guest. G-stage leaves are gstage_page bytes, A/D preset.
 *
 * Traps the hv handles (everything else a guest does stays in the guest through hedeleg/hideleg):
 * ECALL from VS (SBI, hv-sbi.h), guest-page faults (demand mapping, MMIO emulation), the HS
 * timer (time slices among several guests, guests' SBI timers) and, for memvirt=shadow and
 * direct (hgatp Bare), page faults and virtual instructions (hv-shadow.h). See
 * workloads/README.md, "Virtualized modes".
 */
#ifndef RVHSIM_HV_H
#define RVHSIM_HV_H

#include "hpriv.h"
#include "hv-sbi.h"

#define HV_MAX_GUESTS 4

/* Memory-virtualization schemes (rvh_params.memvirt). */
#define HV_MEMVIRT_NESTED 0UL       /* two-stage: guest VS-stage tables over the hv's G-stage */
#define HV_MEMVIRT_GSTAGE_ONLY 1UL  /* vsatp Bare: the guest uses guest-physical addresses */
#define HV_MEMVIRT_SHADOW 2UL       /* hv shadow tables GVA->HPA, hgatp Bare (hv-shadow.h) */
#define HV_MEMVIRT_DIRECT 3UL       /* guest writes GVA->HPA itself, hgatp Bare (paravirtual) */

#define HV_UART_GPA 0x10000000UL
#define HV_IMAGE_GPA 0x80000000UL

struct hv_config {
    unsigned guests;           /* 1..HV_MAX_GUESTS */
    unsigned gstage_levels;    /* 3 (Sv39x4) or 4 (Sv48x4) */
    uint64_t gstage_page;      /* G-stage leaf size: 4 KiB, 2 MiB or 1 GiB */
    uint64_t memvirt;          /* HV_MEMVIRT_* */
    int lazy;                  /* 1: G-stage starts empty, guest-page faults map leaves on demand */
    uint64_t vmid;             /* VMID of guest 0; guest k uses vmid + k ... */
    int untagged;              /* ... unless 1: all guests use `vmid`, HFENCE on every switch */
    int mmio_decode;           /* trapped MMIO: 0 htinst (HLVX when it is zero), 1 HLVX, 2 both, compared */
    uint64_t slice_ticks;      /* time slice in timer ticks when guests > 1 */
    uint64_t mem_gpa, mem_size;  /* the guests' data memory (0 size: none) */
    int remap_nofence;         /* 1: the remap service skips its HFENCE.GVMA (a deliberate bug the fence sanitizer must catch) */
    uint64_t entry;            /* guest kernel entry (a guest virtual = physical address, VS-mode) */
    uint64_t arg;              /* entry(a0 = guest index, a1 = arg) on the guest's boot stack */
};

/*
 * Checks a configuration before boot: NULL or the reason it cannot run (named after the
 * rvh_params field), so that bench_run() can report it natively.
 */
const char *hv_check_config(const struct hv_config *c);

/* Set by a guest kernel that maps host frames itself (RVHS frame), before hv_check_config:
 * only such a kernel can run with memvirt=direct (the vmk kernel of the fence-*, storm-* programs). */
extern int hv_guest_paravirt;

/* From M-mode: boot the hypervisor and the guests. Never returns (exit() with the guests' code). */
void hv_boot(const struct hv_config *c) __attribute__((noreturn));

/* hv-switch.S: MRET into HS-mode at pc with sp and a0 = arg. */
void hv_handover(uint64_t pc, uint64_t sp, uint64_t arg) __attribute__((noreturn));

#endif
