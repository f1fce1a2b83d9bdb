/*
 * Reset entry. QEMU virt with -bios none and rvhsim both start hart 0 in M-mode at the ELF entry
 * with translation off (machine.adoc "Reset"), so this sets up only what C needs: gp, sp, the trap
 * vector, a zeroed .bss. main's return value becomes the exit code (exit.c).
 */
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    /* Only hart 0 runs the program; any other hart parks (QEMU -smp N). */
    csrr    t0, mhartid
    bnez    t0, park

    /* gp must be set without relaxation, or the linker would rewrite it relative to itself. */
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top

    /* mtvec MODE=Direct (machine.adoc "Machine Trap-Vector Base-Address Register"): BASE must be 4-byte aligned. */
    la      t0, trap_entry
    csrw    mtvec, t0

    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:
    call    main
    tail    exit

park:
    wfi
    j       park
