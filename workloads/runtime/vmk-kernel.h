/*
 * Internal to vmk.c and vmk-kernel.c: what the boot code and the kernel share.
 */
#ifndef RVHSIM_VMK_KERNEL_H
#define RVHSIM_VMK_KERNEL_H

#include "vmk.h"
#include "pt.h"

extern char __stack_top[];
/* The workload being run (set in M-mode before the kernel or the hv starts; every guest's image
 * copy holds it). */
extern const struct vmk_desc *vmk_desc;

void vmk_print_params(const struct vmk_desc *d, const struct rvh_params *p);
uint64_t vmk_procs(const struct vmk_desc *d, const struct rvh_params *p);

/* vmk-pt.c: the kernel's page tables; PPNs are frames (vmk_frame: the address itself, or its host
 * frame with memvirt=direct). */
struct vmk_pt {
    unsigned levels;
    uint64_t *root;
};
void vmk_pt_direct(int on);
uint64_t vmk_p2m_limit(void);   /* direct: guest memory must end below this address */
uint64_t vmk_frame(uint64_t pa);
void vmk_pt_init(struct vmk_pt *t, unsigned levels);
uint64_t *vmk_pt_slot(struct vmk_pt *t, uint64_t va, unsigned level);
void vmk_pt_map(struct vmk_pt *t, uint64_t va, uint64_t pa, unsigned level, uint64_t flags);
uint64_t vmk_pt_satp(const struct vmk_pt *t, uint64_t asid);

/* The kernel (S-mode natively, VS-mode as guest `index`), entered with satp Bare (with
 * memvirt=direct: on the hv's boot table). */
void vmk_kernel(uint64_t index) __attribute__((noreturn));

#endif
