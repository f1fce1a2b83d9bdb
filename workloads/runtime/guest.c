/* The guest kernel's runtime (guest.h): VS-mode trap vector set-up, SBI calls, VU processes. */
#include "guest.h"

uint64_t guest_boot_satp;

void guest_init(void)
{
    csr_write(stvec, (uint64_t)(uintptr_t)guest_trap_vector);
    csr_write(sscratch, 0);
    guest_boot_satp = csr_read(satp);
}

struct sbiret sbi_call(uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    register uint64_t r_a0 __asm__("a0") = a0;
    register uint64_t r_a1 __asm__("a1") = a1;
    register uint64_t r_a2 __asm__("a2") = a2;
    register uint64_t r_a3 __asm__("a3") = a3;
    register uint64_t r_a4 __asm__("a4") = a4;
    register uint64_t r_a6 __asm__("a6") = fid;
    register uint64_t r_a7 __asm__("a7") = eid;
    __asm__ volatile("ecall"
                     : "+r"(r_a0), "+r"(r_a1)
                     : "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a6), "r"(r_a7)
                     : "memory");
    struct sbiret r = {(long)r_a0, r_a1};
    return r;
}

void sbi_putchar(char c)
{
    sbi_call(SBI_EID_LEGACY_PUTCHAR, 0, (uint64_t)(uint8_t)c, 0, 0, 0, 0);
}

void sbi_puts(const char *s)
{
    while (*s)
        sbi_putchar(*s++);
}

void sbi_shutdown(int code)
{
    uint64_t reason = code == 0 ? SBI_SRST_REASON_NONE : SBI_SRST_REASON_EXIT_CODE | ((uint64_t)code & 0xff);
    sbi_call(SBI_EID_SRST, SBI_SRST_RESET, SBI_SRST_TYPE_SHUTDOWN, reason, 0, 0, 0);
    for (;;)
        ;
}

long sbi_remote_sfence_vma(uint64_t start, uint64_t size)
{
    return sbi_call(SBI_EID_RFENCE, SBI_RFENCE_SFENCE_VMA, 1, 0, start, size, 0).error;
}

long sbi_remote_sfence_vma_asid(uint64_t start, uint64_t size, uint64_t asid)
{
    return sbi_call(SBI_EID_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, 1, 0, start, size, asid).error;
}

long sbi_remap(uint64_t gpa)
{
    return sbi_call(SBI_EID_RVHS, SBI_RVHS_REMAP, gpa, 0, 0, 0, 0).error;
}

uint64_t sbi_hv_stat(uint64_t which)
{
    return sbi_call(SBI_EID_RVHS, SBI_RVHS_STAT, which, 0, 0, 0, 0).value;
}

uint64_t sbi_frame(uint64_t gpa)
{
    struct sbiret r = sbi_call(SBI_EID_RVHS, SBI_RVHS_FRAME, gpa, 0, 0, 0, 0);
    return r.error ? ~0UL : r.value;
}

long sbi_hv_fence(uint64_t kind, uint64_t addr, uint64_t count, uint64_t asid)
{
    return sbi_call(SBI_EID_RVHS, SBI_RVHS_FENCE, kind, addr, count, asid, 0).error;
}

uint64_t sbi_guest_state(uint64_t k)
{
    return sbi_call(SBI_EID_RVHS, SBI_RVHS_GUEST_STATE, k, 0, 0, 0, 0).value;
}

uint64_t guest_run(struct guest_proc *p)
{
    if (csr_read(satp) != p->satp) {
        csr_write(satp, p->satp);
        if (((p->satp >> 44) & 0xffff) == 0)
            __asm__ volatile("sfence.vma" ::: "memory");
    }
    /* SRET to VU: vsstatus.SPP = 0 (hypervisor.adoc "Trap Return"; in VS, sstatus is vsstatus). */
    p->ctx.status &= ~MSTATUS_SPP;
    return ctx_enter(&p->ctx);
}

/* A trap of the guest kernel itself: report it on the console and shut the guest down. The
 * kernel may have been running in an address space without the UART page: print in the one it
 * started in. */
void guest_self_trap(void)
{
    csr_write(satp, guest_boot_satp);
    printf("guest: trap in VS-mode: scause 0x%lx sepc 0x%lx stval 0x%lx\n", csr_read(scause), csr_read(sepc),
           csr_read(stval));
    sbi_shutdown(EXIT_UNEXPECTED_TRAP);
}

/* In assembler: a0 (the process's result) must reach the ECALL untouched. */
__asm__(".text\n"
        ".balign 4\n"
        ".globl guest_exit_stub\n"
        "guest_exit_stub:\n"
        "\tli a7, 93\n"   /* GUEST_SYS_EXIT */
        "\tecall\n"
        "1:\tj 1b\n");
