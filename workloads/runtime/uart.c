/*
 * NS16550A transmitter at 0x10000000 (the QEMU virt UART; rvhsim models the same registers).
 * THR is register 0, LSR register 5; LSR bit 5 (THRE) says the holding register can take a byte.
 */
#include "rt.h"

#define UART_BASE 0x10000000UL
#define UART_THR 0
#define UART_LSR 5
#define LSR_THRE 0x20

static volatile uint8_t *const uart = (volatile uint8_t *)UART_BASE;

void uart_putc(char c)
{
    while ((uart[UART_LSR] & LSR_THRE) == 0)
        ;
    uart[UART_THR] = (uint8_t)c;
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}
