/*
 * h-hv-demo: the hypervisor (runtime/hv.h) boots two guests of this program, time-sliced by the HS
 * timer with distinct VMIDs (or one shared VMID with `untagged=1`), each over a G-stage that
 * starts empty and is filled by demand mapping (lazy). Guest 0 checks, and prints through the
 * UART the hv emulates (trap-and-emulate MMIO) and through SBI putchar:
 *  - the console paths: SBI legacy putchar, and the emulated UART decoded from htinst or with
 *    HLVX (rvh_params.mmio_decode: 0 htinst where the hart writes it, 1 HLVX, 2 both compared);
 *  - lazy mapping: the first touch of each data page is a guest-page fault the hv resolves, the
 *    second touch is not;
 *  - isolation across switches: both guests use the same guest physical addresses (different
 *    host pages) and each keeps reading back its own values while the other one runs;
 *  - time slicing: guest 0 is descheduled and resumed by the hv's timer; guest 1 keeps running
 *    until guest 0 has shut down, then prints its own verdict line (so it comes last) and shuts
 *    down; the run's exit code is guest 0's failure count, else guest 1's.
 *  - remap: the hv moves one of guest 0's pages to another host page and fences it with
 *    HFENCE.GVMA; the contents survive and the old host page (poisoned) is no longer seen.
 * Only guest 0 prints, and only results (check.c's "ok N name" lines and summary), so the output is
 * the same on every correct platform; it is named h-* so that it runs with QEMU's H extension.
 * Parameters (rvh_params): gstage_levels, vmid, untagged, mmio_decode, slice_ticks, and arg0
 * (remap_nofence): 1 makes the hv's remap skip its HFENCE.GVMA, a hypervisor bug that hardware
 * with a TLB that still holds the old translation exposes (the guest reads the old, poisoned page:
 * the contents check fails) and rvhsim's fence sanitizer reports.
 */
#include "bench.h"
#include "guest.h"
#include "hv.h"

BENCH_PARAMS(.mode = BENCH_MODE_VS, .page_size = 4096);

#define DATA_PAGES 16
#define DATA_BYTES (DATA_PAGES * PAGE_SIZE)
#define MAX_ROUNDS 2000   /* bound on the isolation loop: each round is ~50 k instructions */

extern char __stack_top[];

static void demo_check(const char *what, int ok)
{
    check(what, (uint64_t)ok, 1);
}

static uint64_t data_base(void)
{
    return ((uint64_t)(uintptr_t)__stack_top + 0xffff) & ~0xffffUL;
}

/* Writes `tag`-derived values to every word of the data pages (first touch maps them). */
static void fill(uint64_t tag)
{
    volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)data_base();
    for (unsigned i = 0; i < DATA_BYTES / 8; i++)
        w[i] = tag ^ i;
}

/* Words that do not hold the values fill(tag) wrote. */
static unsigned mismatches(uint64_t tag)
{
    volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)data_base();
    unsigned bad = 0;
    for (unsigned i = 0; i < DATA_BYTES / 8; i++)
        bad += w[i] != (tag ^ i);
    return bad;
}

/* Guest 1: the same guest physical addresses, its own values, until guest 0 has shut down; then
 * it reports (alone, so after all of guest 0's lines) and shuts down itself. */
static void guest1(void) __attribute__((noreturn));
static void guest1(void)
{
    unsigned bad = 0;
    for (uint64_t round = 0; !(sbi_guest_state(0) & 1); round++) {
        uint64_t tag = 0xb0b0000000000000UL | round;
        fill(tag);
        bad += mismatches(tag);
    }
    int ok = bad == 0 && sbi_hv_stat(HV_STAT_SLICES) >= 2;
    printf("guest 1: read back its own data in every round, over several time slices: %s\n", ok ? "ok" : "FAIL");
    sbi_shutdown(ok ? 0 : 1);
}

static void guest0(void) __attribute__((noreturn));
static void guest0(void)
{
    uint64_t decode = rvh_params.mmio_decode;
    printf("h-hv-demo: guest 0 of 2, %s, emulated UART decoded with %s\n",
           rvh_params.untagged ? "one shared VMID (untagged)" : "distinct VMIDs",
           decode == 0 ? "htinst (HLVX where htinst is zero)" : decode == 1 ? "HLVX" : "htinst and HLVX, compared");
    sbi_puts("sbi putchar: this line went through the SBI legacy console putchar\n");

    /* Lazy mapping: the data pages are not in the G-stage until first touched. */
    uint64_t f0 = sbi_hv_stat(HV_STAT_GPF_MAPPED);
    fill(0xa0a0000000000000UL);
    uint64_t f1 = sbi_hv_stat(HV_STAT_GPF_MAPPED);
    fill(0xa0a0000000000001UL);
    uint64_t f2 = sbi_hv_stat(HV_STAT_GPF_MAPPED);
    demo_check("lazy: the first touch of each data page faulted it in", f1 - f0 >= DATA_PAGES);
    demo_check("lazy: the second touch took no guest-page fault", f2 == f1);

    /* Isolation and time slicing: rewrite and check our values until the hv has descheduled and
     * resumed us three times (guest 1, writing the same guest physical addresses, ran in between). */
    unsigned bad = 0;
    uint64_t slices0 = sbi_hv_stat(HV_STAT_SLICES), round = 0;
    while (sbi_hv_stat(HV_STAT_SLICES) < slices0 + 3 && round < MAX_ROUNDS) {
        uint64_t tag = 0xa0a0000000000000UL | ++round << 8;
        fill(tag);
        bad += mismatches(tag);
    }
    demo_check("time slicing: guest 0 was descheduled and resumed three times", round < MAX_ROUNDS);
    demo_check("time slicing: the hv switched guests on timer interrupts", sbi_hv_stat(HV_STAT_SWITCHES) >= 3);
    demo_check("isolation: guest 0 read back its own data while guest 1 used the same guest physical addresses",
               bad == 0);

    /* Remap: move the first data page to another host page. The page is read back as soon as the
     * call returns, before this guest does anything else: with remap_nofence the check is about the
     * translation the TLB still holds, and that must not be lost to the guest's own next steps.
     * Printing a check line traps to the hv once per emulated UART access, and a first touch of a
     * page (lazy mapping) has the hv execute HFENCE.GVMA for it, which a TLB of combined GVA->HPA
     * entries commonly applies to every entry of the VMID (hypervisor.adoc norm:hfence-gvma_op,
     * the note: "a common technique is to flush all entries that match the HFENCE.GVMA's VMID
     * argument"; rvhsim's gvmaByGpa flush-vmid). The hv's timer may still run guest 1 between the
     * remap and the read (the copy and poisoning take most of a slice): whether the entry survives
     * that depends on the TLB's capacity, not on this code. */
    fill(0xc0c0000000000000UL);
    unsigned before = mismatches(0xc0c0000000000000UL);
    long err = sbi_remap(data_base());
    unsigned after = mismatches(0xc0c0000000000000UL);
    demo_check("remap: the hv moved the page (HFENCE.GVMA)", err == 0);
    demo_check("remap: the guest sees the page's contents at the new host page", before == 0 && after == 0);
    fill(0xc0c0000000000001UL);
    demo_check("remap: the moved page takes new stores", mismatches(0xc0c0000000000001UL) == 0);

    /* The emulated UART's accesses: every one decoded, by the path the parameter selects. */
    uint64_t mmio = sbi_hv_stat(HV_STAT_MMIO), tinst = sbi_hv_stat(HV_STAT_MMIO_TINST);
    uint64_t hlvx = sbi_hv_stat(HV_STAT_MMIO_HLVX), agree = sbi_hv_stat(HV_STAT_MMIO_AGREE);
    int path_ok = decode == 1 ? tinst == 0 : decode == 2 ? agree == tinst : 1;
    demo_check("mmio: every emulated UART access was decoded (htinst or HLVX)", mmio > 0 && tinst + hlvx == mmio);
    demo_check("mmio: the selected decode path was used (and agreed with HLVX where compared)", path_ok);

    sbi_shutdown(check_summary("h-hv-demo"));
}

static void demo_guest(uint64_t index, uint64_t unused) __attribute__((noreturn));
static void demo_guest(uint64_t index, uint64_t unused)
{
    (void)unused;
    guest_init();
    if (index == 0)
        guest0();
    guest1();
}

int main(void)
{
    struct hv_config c = {
        .guests = 2,
        .gstage_levels = rvh_params.gstage_levels ? (unsigned)rvh_params.gstage_levels : 3,
        .gstage_page = PAGE_SIZE,
        .memvirt = HV_MEMVIRT_GSTAGE_ONLY,
        .lazy = 1,
        .vmid = rvh_params.vmid ? rvh_params.vmid : 1,
        .untagged = (int)rvh_params.untagged,
        .mmio_decode = (int)rvh_params.mmio_decode,
        .slice_ticks = rvh_params.slice_ticks ? rvh_params.slice_ticks : 200,
        .remap_nofence = rvh_params.arg0 != 0,
        .mem_gpa = data_base(),
        .mem_size = DATA_BYTES,
        .entry = (uint64_t)(uintptr_t)demo_guest,
        .arg = 0,
    };
    const char *bad = hv_check_config(&c);
    if (bad) {
        printf("h-hv-demo: FAIL (%s)\n", bad);
        return 2;
    }
    hv_boot(&c);
}
