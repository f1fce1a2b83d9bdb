/*
 * SiFive test finisher at 0x100000 (QEMU virt "sifive_test"): writing 0x5555 ends the run with
 * success, (code << 16) | 0x3333 with failure code `code`. QEMU exits with that code; rvhsim
 * reports it as the run's exit code.
 */
#include "rt.h"

#define FINISHER_BASE 0x100000UL
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

void exit(int code)
{
    volatile uint32_t *finisher = (volatile uint32_t *)FINISHER_BASE;
    uint32_t value = code == 0 ? FINISHER_PASS : (((uint32_t)code & 0xffffu) << 16) | FINISHER_FAIL;
#ifdef RT_REPORT_INSTRET
    /* Developer aid (make MEASURE=1): how long the program ran. Never in committed binaries. */
    printf("[instret %lu]\n", (unsigned long)rdinstret());
#endif
    *finisher = value;
    for (;;)
        __asm__ volatile("wfi");
}
