/*
 * The supervisor binary interface between the guest kernel (guest.h) and the hypervisor (hv.h):
 * ECALL from VS-mode with a7 = extension ID (EID), a6 = function ID (FID), a0..a5 = arguments;
 * the hypervisor returns a0 = error code, a1 = value (SBI spec, "Binary Encoding"). The standard
 * extensions implemented are the ones below, with their SBI spec IDs; "RVHS" is this project's
 * own extension in the firmware-specific EID range (SBI spec: 0x0A000000-0x0AFFFFFF).
 */
#ifndef RVHSIM_HV_SBI_H
#define RVHSIM_HV_SBI_H

/* Error codes (SBI spec, "Standard SBI Errors"). */
#define SBI_SUCCESS 0L
#define SBI_ERR_FAILED (-1L)
#define SBI_ERR_NOT_SUPPORTED (-2L)
#define SBI_ERR_INVALID_PARAM (-3L)
#define SBI_ERR_INVALID_ADDRESS (-5L)

/* Legacy console putchar (SBI spec, "Legacy Extensions"): a0 = the character. */
#define SBI_EID_LEGACY_PUTCHAR 0x01UL

/* Base extension: FID 0 get_spec_version, 3 probe_extension(eid). */
#define SBI_EID_BASE 0x10UL
#define SBI_BASE_SPEC_VERSION 0UL
#define SBI_BASE_PROBE_EXTENSION 3UL

/* Timer extension "TIME": FID 0 set_timer(stime_value) (absolute time; clears the pending timer). */
#define SBI_EID_TIME 0x54494D45UL
#define SBI_TIME_SET_TIMER 0UL

/* RFENCE extension "RFNC": a0 = hart_mask, a1 = hart_mask_base, a2 = start, a3 = size, a4 = asid/vmid. */
#define SBI_EID_RFENCE 0x52464E43UL
#define SBI_RFENCE_FENCE_I 0UL
#define SBI_RFENCE_SFENCE_VMA 1UL
#define SBI_RFENCE_SFENCE_VMA_ASID 2UL
#define SBI_RFENCE_HFENCE_GVMA_VMID 3UL
#define SBI_RFENCE_HFENCE_GVMA 4UL
#define SBI_RFENCE_HFENCE_VVMA_ASID 5UL
#define SBI_RFENCE_HFENCE_VVMA 6UL

/* System reset extension "SRST": FID 0 system_reset(type, reason). */
#define SBI_EID_SRST 0x53525354UL
#define SBI_SRST_RESET 0UL
#define SBI_SRST_TYPE_SHUTDOWN 0UL
#define SBI_SRST_REASON_NONE 0UL
#define SBI_SRST_REASON_FAILURE 1UL
/* Vendor/firmware reasons (SBI spec: 0xF0000000-0xFFFFFFFF): the guest's exit code in the low byte. */
#define SBI_SRST_REASON_EXIT_CODE 0xF0000000UL

/*
 * "RVHS", this hypervisor's services:
 *  FID 0 remap(gpa): move the guest page holding gpa to another host page (copying it), rewrite
 *        the G-stage leaf and HFENCE.GVMA it; 4 KiB G-stage leaves only. a1 = number of remaps so far.
 *  FID 1 frame(gpa): direct (paravirtual) memory: the host-physical address behind gpa, which
 *        the guest may write into its own page tables (memvirt=direct only).
 *  FID 2 stats(which): hypervisor event counts for self-checks (HV_STAT_*).
 *  FID 3 guest_state(k): a1 = 0 while guest k runs, else 1 | exit code << 1 (for a guest that
 *        reports on the others, as hv-demo's guest 0 does).
 *  FID 4 fence(kind, addr, count, asid): a measurement service for the fence microbenchmarks:
 *        the hv executes exactly the HFENCE that `kind` names (HV_FENCE_*), `count` times for
 *        the by-address kinds (addr, addr + 4 KiB, ...; a guest virtual address for VVMA, a
 *        guest physical one for GVMA), once otherwise; HV_FENCE_NONE executes nothing (the
 *        cost of the call alone). GVMA by address or VMID names the caller's VMID; GVMA_ALL
 *        is the global fence, which SBI RFENCE never lets a guest cause.
 */
#define SBI_EID_RVHS 0x0A525648UL
#define SBI_RVHS_REMAP 0UL
#define SBI_RVHS_FRAME 1UL
#define SBI_RVHS_STAT 2UL
#define SBI_RVHS_GUEST_STATE 3UL
#define SBI_RVHS_FENCE 4UL

/* RVHS fence kinds (also the `fence` parameter of fence-hfence): rs1/rs2 of the HFENCE executed. */
#define HV_FENCE_NONE 0UL        /* no fence: the service call alone */
#define HV_FENCE_VVMA_ADDR 1UL   /* HFENCE.VVMA gva, x0 */
#define HV_FENCE_VVMA_ASID 2UL   /* HFENCE.VVMA x0, asid */
#define HV_FENCE_VVMA_ALL 3UL    /* HFENCE.VVMA x0, x0 */
#define HV_FENCE_GVMA_ADDR 4UL   /* HFENCE.GVMA gpa >> 2, vmid */
#define HV_FENCE_GVMA_VMID 5UL   /* HFENCE.GVMA x0, vmid */
#define HV_FENCE_GVMA_ALL 6UL    /* HFENCE.GVMA x0, x0 */
#define HV_FENCE_KINDS 7UL

#define HV_STAT_GPF_MAPPED 0UL     /* guest-page faults resolved by demand mapping */
#define HV_STAT_MMIO 1UL           /* emulated UART accesses */
#define HV_STAT_MMIO_TINST 2UL     /* ... decoded from htinst's transformed instruction */
#define HV_STAT_MMIO_HLVX 3UL      /* ... decoded from the instruction read with HLVX */
#define HV_STAT_MMIO_AGREE 4UL     /* ... where htinst was nonzero and HLVX decoded the same access */
#define HV_STAT_SWITCHES 5UL       /* guest switches on timer interrupts */
#define HV_STAT_SLICES 6UL         /* time slices this guest has run (count of entries after a switch) */
#define HV_STAT_SHADOW_FILLS 7UL   /* memvirt=shadow: page faults the hv resolved by filling a shadow leaf */
#define HV_STAT_VTVM_TRAPS 8UL     /* memvirt=shadow: satp accesses and SFENCE.VMAs emulated (hstatus.VTVM) */
#define HV_STAT_REFLECTED 9UL      /* memvirt=shadow/direct: guest page faults the hv passed on to the guest */
#define HV_STAT_COUNT 10

#endif
