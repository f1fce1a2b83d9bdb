/*
 * Result reporting for self-checking programs: one line per check, "ok N name" or
 * "FAIL N name: got 0x.. want 0x..", and a summary. Output is identical on every correct platform.
 */
#include "rt.h"

static unsigned checks;
static unsigned failures;

void check(const char *name, uint64_t got, uint64_t want)
{
    checks++;
    if (got == want) {
        printf("ok %u %s\n", checks, name);
    } else {
        failures++;
        printf("FAIL %u %s: got 0x%016lx want 0x%016lx\n", checks, name, got, want);
    }
}

int check_summary(const char *program)
{
    printf("%s: %u checks, %u failed\n", program, checks, failures);
    return (int)failures;
}
