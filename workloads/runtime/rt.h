/*
 * rvhsim bare-metal runtime: the whole C API a workload may use. Programs run in M-mode on QEMU
 * virt and on rvhsim, so everything here touches only devices both platforms have.
 */
#ifndef RVHSIM_RT_H
#define RVHSIM_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* --- Console: NS16550A UART at 0x10000000 (uart.c) and a small printf (printf.c). --- */
void uart_putc(char c);
void uart_puts(const char *s);            /* no newline appended */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);

/* --- Exit through the SiFive test finisher at 0x100000 (exit.c). 0 = pass. --- */
void exit(int code) __attribute__((noreturn));

/* Exit code used when a trap arrives that nothing expected. */
#define EXIT_UNEXPECTED_TRAP 255

/* --- Counters (Zicntr). Their values differ between platforms: never print them in a test. --- */
static inline uint64_t rdcycle(void)
{
    uint64_t v;
    __asm__ volatile("rdcycle %0" : "=r"(v));
    return v;
}

static inline uint64_t rdinstret(void)
{
    uint64_t v;
    __asm__ volatile("rdinstret %0" : "=r"(v));
    return v;
}

/* --- Traps (trap-entry.S, trap.c). --- */
struct trap_frame {
    uint64_t x[32];   /* x[2] is the interrupted sp; writes to it are ignored */
    uint64_t mepc;    /* the handler may change it: trap_entry returns there */
    uint64_t mcause;
    uint64_t mtval;
    uint64_t mstatus;
};

/* A program's own handler: return nonzero when it handled the trap. */
typedef int (*trap_hook_fn)(struct trap_frame *frame);
void set_trap_hook(trap_hook_fn hook);

/*
 * Expected traps: trap_expect() arms a one-shot catcher; the next trap is recorded and mepc moves
 * past the trapping instruction. trap_taken_cause() then gives its mcause, or -1 if none came.
 */
void trap_expect(void);
int64_t trap_taken_cause(void);
uint64_t trap_taken_epc(void);

/* --- Self-checking programs (check.c). One line per check on the UART. --- */
void check(const char *name, uint64_t got, uint64_t want);
int check_summary(const char *program);   /* prints the totals, returns the failure count */

/* Freestanding replacements for what GCC may emit calls to (string.c). */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
