/*
 * A small printf straight to the UART: flags '-' and '0', a field width, length modifiers
 * l/ll/z, and conversions d i u x X c s p %. Enough for test output, a few hundred bytes of code.
 */
#include "rt.h"

struct spec {
    int left;     /* '-' */
    int zero;     /* '0' */
    int width;
};

static int emit_padded(const char *s, int len, struct spec sp)
{
    int pad = sp.width > len ? sp.width - len : 0;
    int n = 0;
    if (!sp.left)
        for (; pad > 0; pad--, n++)
            uart_putc(sp.zero ? '0' : ' ');
    for (int i = 0; i < len; i++, n++)
        uart_putc(s[i]);
    for (; pad > 0; pad--, n++)
        uart_putc(' ');
    return n;
}

static int emit_number(uint64_t v, int negative, unsigned base, int upper, struct spec sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int i = sizeof buf;
    do {
        buf[--i] = digits[v % base];
        v /= base;
    } while (v != 0);
    if (negative) {
        if (sp.zero && !sp.left && sp.width > 0) {
            /* the sign goes before the zero padding: "-0042" */
            uart_putc('-');
            sp.width--;
            return 1 + emit_padded(&buf[i], (int)sizeof buf - i, sp);
        }
        buf[--i] = '-';
    }
    return emit_padded(&buf[i], (int)sizeof buf - i, sp);
}

int vprintf(const char *fmt, va_list ap)
{
    int n = 0;
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            uart_putc(*fmt);
            n++;
            continue;
        }
        struct spec sp = {0, 0, 0};
        for (fmt++;; fmt++) {
            if (*fmt == '-')
                sp.left = 1;
            else if (*fmt == '0')
                sp.zero = 1;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            sp.width = sp.width * 10 + (*fmt++ - '0');
        int longs = 0;
        while (*fmt == 'l' || *fmt == 'z') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
            n += emit_number(v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, 0, sp);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            n += emit_number(v, 0, *fmt == 'u' ? 10 : 16, *fmt == 'X', sp);
            break;
        }
        case 'p':
            uart_puts("0x");
            n += 2 + emit_number((uint64_t)(uintptr_t)va_arg(ap, void *), 0, 16, 0, sp);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            n += emit_padded(&c, 1, sp);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            int len = 0;
            if (!s)
                s = "(null)";
            while (s[len])
                len++;
            n += emit_padded(s, len, sp);
            break;
        }
        case '%':
            uart_putc('%');
            n++;
            break;
        case '\0':
            return n;
        default:
            /* unknown conversion: print it verbatim so the mistake is visible */
            uart_putc('%');
            uart_putc(*fmt);
            n += 2;
            break;
        }
    }
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}
