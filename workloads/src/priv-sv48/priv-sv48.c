/*
 * priv-sv48: the paging suite (runtime/vm-suite.c) with Sv48, a 4-level page table
 * (supervisor.adoc "Sv48: Page-Based 48-bit Virtual-Memory System").
 */
#include "vm-suite.h"

int main(void)
{
    return vm_suite(4, "priv-sv48");
}
