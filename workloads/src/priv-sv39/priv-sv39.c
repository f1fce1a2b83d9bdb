/*
 * priv-sv39: the paging suite (runtime/vm-suite.c) with Sv39, a 3-level page table
 * (supervisor.adoc "Sv39: Page-Based 39-bit Virtual-Memory System").
 */
#include "vm-suite.h"

int main(void)
{
    return vm_suite(3, "priv-sv39");
}
