/*
 * priv-sv57: the paging suite (runtime/vm-suite.c) with Sv57, a 5-level page table
 * (supervisor.adoc "Sv57: Page-Based 57-bit Virtual-Memory System").
 */
#include "vm-suite.h"

int main(void)
{
    return vm_suite(5, "priv-sv57");
}
