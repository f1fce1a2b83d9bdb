/*
 * The benchmark-kernel harness shared by the bench-* programs (issue 6): the run-time parameter
 * block `rvh_params`, a seeded random generator, and running a kernel natively in M-mode (bare),
 * S-mode or U-mode under Sv39 paging built with pt.c, and virtualized: in VS-mode (mode 3) or
 * VU-mode (mode 4) under the guest kernel (guest.h) over the hypervisor (hv.h), the same kernel
 * binary in every mode.
 *
 * A program defines its parameter block with BENCH_PARAMS (in .data, so a loader may overwrite it
 * after loading the ELF and before the first instruction runs) and calls bench_run() from main.
 * The block is a struct of 64-bit little-endian words at the symbol `rvh_params`; its layout is
 * versioned (magic, version) and documented in workloads/README.md, section "Benchmark kernels".
 *
 * Memory: the kernel's working data lives in an arena of `footprint_bytes` bytes at physical
 * address `arena_pa`, which it sees at `arena` (bench_ctx): the physical address in mode 0, and
 * BENCH_VA_DATA + (arena_pa - BENCH_PA_BASE) in modes 1 and 2, mapped with leaves of `page_size`
 * bytes. The guest kernel of modes 3 and 4 builds the same tables (VS-stage, guest physical) with
 * memvirt nested or shadow; with gstage-only it leaves vsatp Bare and the arena at its guest
 * physical address. The program image itself is mapped with 1 GiB leaves:
 *   0x8000_0000  1 GiB -> PA 0x8000_0000  RWX     the image as S-mode sees it (identity)
 *   0xc000_0000  1 GiB -> PA 0x8000_0000  RWX U   the image as U-mode sees it (mode 2; BENCH_U_OFF)
 *   0x1_0000_0000 ...  -> PA 0x8000_0000 + x  RW (U in mode 2)  the data window, only the leaves
 *                                              that cover the arena
 * A kernel therefore never keeps absolute addresses of the image in initialized data (no pointer
 * tables, no function pointers, no switch jump tables): in U-mode it runs at the alias.
 */
#ifndef RVHSIM_BENCH_H
#define RVHSIM_BENCH_H

#include "rt.h"

/* "RVHPARAM" as a little-endian 64-bit word, then the layout version. */
#define RVH_PARAMS_MAGIC 0x4d41524150485652UL
#define RVH_PARAMS_VERSION 2UL

/* Execution modes (rvh_params.mode). 3 and 4 run under the hypervisor: the kernel in VS-mode (the
 * guest kernel calls it) or in VU-mode (a process of the guest kernel). */
#define BENCH_MODE_M 0UL
#define BENCH_MODE_S 1UL
#define BENCH_MODE_U 2UL
#define BENCH_MODE_VS 3UL
#define BENCH_MODE_VU 4UL

#define BENCH_KIB 1024UL
#define BENCH_MIB (1024UL * 1024)
#define BENCH_GIB (1024UL * 1024 * 1024)

#define BENCH_PA_BASE 0x80000000UL        /* start of DRAM, the image's 1 GiB leaf */
#define BENCH_VA_DATA 0x100000000UL       /* the data window (modes 1, 2) */
#define BENCH_U_OFF   0x40000000UL        /* U-mode alias of the image: VA = PA + BENCH_U_OFF */
#define BENCH_ARENA_DEFAULT 0x80400000UL  /* 4 MiB into DRAM: past any bench image, 2 MiB aligned */
#define BENCH_SLICE_DEFAULT 2000UL        /* timer ticks (QEMU virt and rvhsim: 10 MHz) */

/*
 * The parameter block, version 2 (version 1 ended at arg3). Every field is a 64-bit word; a loader
 * writes them by offset (8 * index). Kernel-specific meanings of `arg0`..`arg3` are documented per
 * program. The fields from 112 on apply to the virtualized modes 3 and 4 only; 0 means the default.
 */
struct rvh_params {
    uint64_t magic;            /*  0: RVH_PARAMS_MAGIC (read-only for a loader) */
    uint64_t version;          /*  8: RVH_PARAMS_VERSION */
    uint64_t seed;             /* 16: generator seed for the kernel's input */
    uint64_t footprint_bytes;  /* 24: size of the arena the kernel works in */
    uint64_t iterations;       /* 32: repetitions / operations, per kernel */
    uint64_t mode;             /* 40: BENCH_MODE_* */
    uint64_t page_size;        /* 48: data-window leaf size in modes 1/2: 4096, 2 MiB or 1 GiB */
    uint64_t arena_pa;         /* 56: physical address of the arena (0: BENCH_ARENA_DEFAULT) */
    uint64_t guests;           /* 64: guests running the kernel, time-sliced (modes 3/4; 0 = 1, at most 4) */
    uint64_t fence_rate;       /* 72: SFENCE/HFENCE every N operations (reserved, 0 = never) */
    uint64_t arg0, arg1, arg2, arg3;  /* 80..104: kernel-specific */
    uint64_t gstage_levels;    /* 112: G-stage mode: 3 = Sv39x4 (0 = 3), 4 = Sv48x4 */
    uint64_t gstage_page_size; /* 120: G-stage leaf size: 4096 (0 = 4096), 2 MiB or 1 GiB */
    uint64_t vs_levels;        /* 128: the guest kernel's VS-stage mode: 3 = Sv39 (0 = 3), 4 = Sv48 */
    uint64_t memvirt;          /* 136: 0 nested, 1 gstage-only (vsatp Bare), 2 shadow, 3 direct */
    uint64_t lazy;             /* 144: 1 = G-stage mapped on demand from guest-page faults */
    uint64_t vmid;             /* 152: VMID of guest 0 (guest k: vmid + k) */
    uint64_t untagged;         /* 160: 1 = every guest uses `vmid`, HFENCEs on each switch */
    uint64_t mmio_decode;      /* 168: emulated UART: 0 htinst (else HLVX), 1 HLVX, 2 both compared */
    uint64_t slice_ticks;      /* 176: time slice in timer ticks with several guests (0 = 2000) */
};

/*
 * Defines the program's parameter block `rvh_params` with its defaults (everything not named is 0)
 * and a read-only copy of the defaults, `rvh_params_default`, against which bench_run() decides
 * whether the reference checksum applies.
 */
#define BENCH_PARAMS(...)                                                                          \
    const struct rvh_params rvh_params_default = {                                                 \
        .magic = RVH_PARAMS_MAGIC, .version = RVH_PARAMS_VERSION, __VA_ARGS__};                     \
    __attribute__((section(".data.rvh_params"), used)) volatile struct rvh_params rvh_params = {     \
        .magic = RVH_PARAMS_MAGIC, .version = RVH_PARAMS_VERSION, __VA_ARGS__}
extern volatile struct rvh_params rvh_params;
extern const struct rvh_params rvh_params_default;

/* What a kernel gets: a copy of the parameters and its arena as the running mode addresses it. */
struct bench_ctx {
    struct rvh_params p;
    uint8_t *arena;            /* footprint_bytes bytes */
    uint64_t checksum;         /* out: the kernel's result checksum (address-independent) */
    uint64_t selfcheck_ok;     /* out: 1 when the kernel's own check of its result passed */
};

typedef void (*bench_kernel_fn)(struct bench_ctx *ctx);

struct bench_desc {
    const char *name;           /* "bench-qsort" */
    bench_kernel_fn kernel;
    uint64_t min_footprint;     /* smallest arena the kernel accepts */
    const char *arg_names[4];   /* names printed for arg0..arg3 (NULL: unused, not printed) */
    /* A parameter check beyond the common ones (may be NULL): returns a message or NULL. */
    const char *(*validate)(const struct rvh_params *p);
    /*
     * The checksum for the default seed, footprint, iterations and arg0..arg3 (computed on the
     * host by the program's reference.py); the mode, page size and arena never change it.
     */
    uint64_t reference;
};

/*
 * Validates the parameters, sets up the mode, runs the kernel there, checks the result and prints
 * one line: "NAME: mode=.. page=.. seed=.. footprint=.. iterations=.. [args] checksum=0x.. ok",
 * or FAIL with the reason. Returns the exit code (0 = pass).
 */
int bench_run(const struct bench_desc *d);

/* ---- the parameter block as every harness takes it (bench-params.c; bench_run() and vmk_run()) */

struct hv_config;

/* Copies `rvh_params` into *p, a zero field replaced by its documented default. */
void bench_read_params(struct rvh_params *p);
/* Modes 3 and 4: the kernel runs under the hypervisor. */
int bench_virtualized(const struct rvh_params *p);
/* The leaf level of a page size (pt.h: 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB), or -1. */
int bench_page_level(uint64_t size);
/* The leaves of page_size that cover the arena in the data window: the first one's offset from
 * BENCH_PA_BASE (and from BENCH_VA_DATA), and the bytes they span. */
uint64_t bench_window_lo(const struct rvh_params *p);
uint64_t bench_window_span(const struct rvh_params *p);
/* The rules every program has, in this order: magic and version, a mode from min_mode to
 * BENCH_MODE_VU, a page size with a leaf level. NULL or the message naming the field. */
const char *bench_check_params(const struct rvh_params *p, uint64_t min_mode);
/* The rules of the guest kernel's fields (modes 3 and 4): vs_levels, lazy, untagged. */
const char *bench_check_guest_params(const struct rvh_params *p);
/* The start of the report line: "NAME: mode=.. page=.. seed=.. footprint=.. iterations=..", then
 * " fence_rate=.." if asked, then " NAME=value" for each of arg0..arg3 that has a name. */
void bench_print_params(const char *name, const struct rvh_params *p, int with_fence_rate,
                        const char *const arg_names[4]);
/* The hv configuration the block's fields name (runtime/hv.h), the guests' data memory being the
 * arena; every guest starts at entry(index, arg). */
void bench_hv_config(struct hv_config *c, const struct rvh_params *p, void (*entry)(uint64_t index, uint64_t arg),
                     uint64_t arg);

/* splitmix64: a small seeded generator, the same in every kernel and, for the host reference
 * scripts (reference.py beside each bench program), in bench_reference.py beside this file. */
static inline uint64_t bench_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15UL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
    return z ^ (z >> 31);
}

/* Order-independent mixing for permutation checks. */
static inline uint64_t bench_mix(uint64_t x)
{
    uint64_t s = x;
    return bench_rand(&s);
}

/* FNV-1a-style order-dependent fold of 64-bit words into a checksum. */
static inline uint64_t bench_fold(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3UL;
}
#define BENCH_FOLD_INIT 0xcbf29ce484222325UL

#endif
