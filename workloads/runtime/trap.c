/*
 * C side of the M-mode trap vector: a program's hook first, then the one-shot "expected trap"
 * catcher used by the ISA tests, otherwise a report and exit(EXIT_UNEXPECTED_TRAP).
 */
#include "rt.h"

static trap_hook_fn hook;
static volatile int armed;
static volatile int64_t taken_cause = -1;
static volatile uint64_t taken_epc;

void set_trap_hook(trap_hook_fn h)
{
    hook = h;
}

void trap_expect(void)
{
    taken_cause = -1;
    taken_epc = 0;
    armed = 1;
}

int64_t trap_taken_cause(void)
{
    armed = 0;
    return taken_cause;
}

uint64_t trap_taken_epc(void)
{
    return taken_epc;
}

/* Base encoding: 32-bit instructions have bits [1:0] = 11; anything else is 16-bit (zca.adoc). */
static uint64_t instruction_length(uint64_t pc)
{
    uint16_t low = *(volatile uint16_t *)(uintptr_t)pc;
    return (low & 3) == 3 ? 4 : 2;
}

void trap_dispatch(struct trap_frame *f)
{
    if (hook && hook(f))
        return;
    if (armed) {
        armed = 0;
        taken_cause = (int64_t)f->mcause;
        taken_epc = f->mepc;
        f->mepc += instruction_length(f->mepc);
        return;
    }
    printf("unexpected trap: mcause 0x%lx mepc 0x%lx mtval 0x%lx\n", f->mcause, f->mepc, f->mtval);
    exit(EXIT_UNEXPECTED_TRAP);
}
