/*
 * The paging test suite shared by priv-sv39, priv-sv48 and priv-sv57 (vm-suite.c): the same
 * checks on a page table of `levels` levels, plus the leaf sizes only that depth has.
 */
#ifndef RVHSIM_VM_SUITE_H
#define RVHSIM_VM_SUITE_H

/* Runs every check (M-mode caller), prints the summary and returns the number of failures. */
int vm_suite(unsigned levels, const char *program);

#endif
