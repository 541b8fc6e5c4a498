/*
 * stage2.S - the second stage of translation (guest-physical -> machine) seen from the guest.
 *
 * The monitor's protect(gpa, perms) call narrows the second-stage permissions of one guest page.
 * An access the second stage forbids is a guest-page fault (20 fetch, 21 load, 23 store/AMO)
 * that traps to the monitor, never to the guest: the monitor records it (faults() returns the
 * count, the faulting guest-PHYSICAL address and the cause), restores R|W|X on the page and
 * retries the instruction, which then completes as if nothing had happened. This is how a
 * hypervisor write-protects guest memory for dirty tracking. With the guest's own Sv32 on,
 * the fault still names the guest-physical address the first stage produced, and the walk's own
 * reads of the guest page tables go through the second stage as well.
 *
 * Exit 0 = all cases passed; exit N = case N failed (its description is printed first; cases start at 2).
 */
#include "../priv/priv.h"

#define VA_ALIAS  0x40000000        /* -> page_t (first stage) */
#define VA_ALIAS2 0x40001000        /* -> page_u */
#define RWAD (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

/* a0 = count, a1 = last guest-physical address, a2 = last cause */
.macro FAULTS
    MCALL MON_FAULTS
.endm

.macro PROTECT_LABEL label, offset, perms
    la a0, \label
    addi a0, a0, \offset
    li a1, \perms
    MCALL MON_PROTECT
.endm

/* Fail unless faults() reports count `n`, cause `cause`, address = register `gpa`. */
.macro EXPECT_FAULTS n, cause, gpa
    FAULTS
    EXPECT a0, \n
    EXPECT a2, \cause
    EXPECT_REG a1, \gpa
.endm

    .text
main:
    /* ---- set-up (case 1) ---- */
    la t0, page_r
    li t1, 0x0a0a0a0a
    sw t1, 0x48(t0)
    la t0, page_t
    li t1, 0x7e7e7e7e
    sw t1, 0x30(t0)

    CASE 2, "no guest-page faults before any protect"
    FAULTS
    EXPECT a0, 0

    CASE 3, "store to a page protected R|X: guest-page fault 23 at the store's gpa, store lands, guest sees no trap"
    PROTECT_LABEL page_w, 0, MON_PERM_R | MON_PERM_X
    la s2, page_w
    addi s3, s2, 0x124
    li t4, 0xcafef00d
    sw t4, 0(s3)
    EXPECT_NO_TRAP
    lw t3, 0(s3)
    EXPECT t3, 0xcafef00d
    EXPECT_FAULTS 1, CAUSE_STORE_GUEST_PAGE_FAULT, s3

    CASE 4, "after the fault the monitor restored R|W|X: the next store does not fault"
    la s2, page_w
    li t4, 0x12121212
    sw t4, 0x200(s2)
    lw t3, 0x200(s2)
    EXPECT t3, 0x12121212
    FAULTS
    EXPECT a0, 1
    EXPECT_NO_TRAP

    CASE 5, "load from a page with perms 0: guest-page fault 21, the load returns the page's data"
    PROTECT_LABEL page_r, 0, 0
    la s2, page_r
    addi s3, s2, 0x48
    li a3, 0
    lw a3, 0(s3)
    EXPECT_NO_TRAP
    EXPECT a3, 0x0a0a0a0a
    EXPECT_FAULTS 2, CAUSE_LOAD_GUEST_PAGE_FAULT, s3

    CASE 6, "fetch from a page without X: guest-page fault 20 at the fetched address, the code then runs"
    PROTECT_LABEL code_page, 0, MON_PERM_R | MON_PERM_W
    la s3, code_page
    li a0, 0
    jalr ra, 0(s3)
    EXPECT_NO_TRAP
    EXPECT a0, 0x55
    EXPECT_FAULTS 3, CAUSE_FETCH_GUEST_PAGE_FAULT, s3

    CASE 7, "a read-only page in the second stage: loads do not fault, a store faults once"
    PROTECT_LABEL page_w, 0, MON_PERM_R
    la s2, page_w
    lw t3, 0x124(s2)
    EXPECT t3, 0xcafef00d
    FAULTS
    EXPECT a0, 3
    addi s3, s2, 0x300
    li t4, 0x34343434
    sw t4, 0(s3)
    lw t3, 0(s3)
    EXPECT t3, 0x34343434
    EXPECT_FAULTS 4, CAUSE_STORE_GUEST_PAGE_FAULT, s3
    EXPECT_NO_TRAP

    CASE 8, "amoadd.w to a write-protected page: fault 23, the AMO is done exactly once"
    la s2, page_w
    addi s3, s2, 0x400
    li t4, 100
    sw t4, 0(s3)
    PROTECT_LABEL page_w, 0, MON_PERM_R | MON_PERM_X
    li t4, 5
    amoadd.w a3, t4, (s3)
    EXPECT_NO_TRAP
    EXPECT a3, 100
    lw t3, 0(s3)
    EXPECT t3, 105
    EXPECT_FAULTS 5, CAUSE_STORE_GUEST_PAGE_FAULT, s3

    CASE 9, "sb/sh to a write-protected page: fault 23 at the byte's address"
    PROTECT_LABEL page_w, 0, MON_PERM_R
    la s2, page_w
    addi s3, s2, 0x503
    li t4, 0x5a
    sb t4, 0(s3)
    lbu t3, 0(s3)
    EXPECT t3, 0x5a
    EXPECT_FAULTS 6, CAUSE_STORE_GUEST_PAGE_FAULT, s3
    PROTECT_LABEL page_w, 0, MON_PERM_R
    addi s3, s2, 0x50a
    li t4, 0x1234
    sh t4, 0(s3)
    lhu t3, 0(s3)
    EXPECT t3, 0x1234
    EXPECT_FAULTS 7, CAUSE_STORE_GUEST_PAGE_FAULT, s3
    EXPECT_NO_TRAP

    CASE 10, "protect(R|W|X) leaves the page fully accessible: no fault"
    PROTECT_LABEL page_w, 0, MON_PERM_R | MON_PERM_W | MON_PERM_X
    la s2, page_w
    li t4, 0x77
    sw t4, 0x600(s2)
    lw t3, 0x600(s2)
    EXPECT t3, 0x77
    FAULTS
    EXPECT a0, 7

    CASE 11, "a guest-page fault from U-mode is also the monitor's: the U-mode store lands, no guest trap but the ecall"
    PROTECT_LABEL page_w, 0, MON_PERM_R | MON_PERM_X
    la s3, page_w
    addi s3, s3, 0x700
    mv a0, s3
    li a1, 0x99887766
    RUN_U u_store, 1f
1:  EXPECT_TRAP 1, CAUSE_ECALL_U
    lw t3, 0(s3)
    EXPECT t3, 0x99887766
    EXPECT_FAULTS 8, CAUSE_STORE_GUEST_PAGE_FAULT, s3

    CASE 12, "execution running from an executable page into a non-X page: fault 20 at that page's gpa, then it runs on"
    PROTECT_LABEL code_page2, 0, MON_PERM_R | MON_PERM_W
    la s3, straddle_entry
    li a0, 0
    jalr ra, 0(s3)
    EXPECT_NO_TRAP
    EXPECT a0, 0x67
    la s3, code_page2
    EXPECT_FAULTS 9, CAUSE_FETCH_GUEST_PAGE_FAULT, s3

    /* ---- with the guest's own first stage on ---- */

    /* set-up of the first stage: identity superpage over the program, VA_ALIAS -> page_t,
     * VA_ALIAS2 -> page_u */
    la s1, root_pt
    la s0, leaf_pt
    li t0, ((0x80000000 >> 12) << 10) | RWAD | PTE_X
    li t1, 4 * (0x80000000 >> 22)
    add t1, t1, s1
    sw t0, 0(t1)
    srli t0, s0, 12
    slli t0, t0, 10
    ori t0, t0, PTE_V
    sw t0, 4 * (VA_ALIAS >> 22)(s1)
    SET_PTE s0, 0, page_t, RWAD
    SET_PTE s0, 1, page_u, RWAD
    srli t0, s1, 12
    li t1, SATP_MODE_SV32
    or t0, t0, t1
    csrw satp, t0
    sfence.vma

    CASE 13, "satp on: a store through a VA alias to a write-protected page reports the guest-PHYSICAL address"
    PROTECT_LABEL page_t, 0, MON_PERM_R | MON_PERM_X
    li s2, VA_ALIAS + 0x10
    li t4, 0x5eed5eed
    sw t4, 0(s2)
    EXPECT_NO_TRAP
    la s3, page_t
    addi s3, s3, 0x10
    lw t3, 0(s3)
    EXPECT t3, 0x5eed5eed
    EXPECT_FAULTS 10, CAUSE_STORE_GUEST_PAGE_FAULT, s3

    CASE 14, "satp on: a load through a VA alias from an unmapped (perms 0) page reports the guest-physical address"
    PROTECT_LABEL page_t, 0, 0
    li s2, VA_ALIAS + 0x30
    lw a3, 0(s2)
    EXPECT_NO_TRAP
    EXPECT a3, 0x7e7e7e7e
    la s3, page_t
    addi s3, s3, 0x30
    EXPECT_FAULTS 11, CAUSE_LOAD_GUEST_PAGE_FAULT, s3

    CASE 15, "satp on: the walk only reads the page tables: a read-only leaf table does not fault a store"
    PROTECT_LABEL leaf_pt, 0, MON_PERM_R
    sfence.vma
    li s2, VA_ALIAS2 + 0x20
    li t4, 0x42424242
    sw t4, 0(s2)
    lw t3, 0(s2)
    EXPECT t3, 0x42424242
    FAULTS
    EXPECT a0, 11
    EXPECT_NO_TRAP

    CASE 16, "satp on: a walk read of an unmapped (perms 0) leaf table faults 21 at the PTE's guest-physical address"
    PROTECT_LABEL leaf_pt, 0, 0
    sfence.vma
    li s2, VA_ALIAS2 + 0x20
    lw t3, 0(s2)
    EXPECT t3, 0x42424242
    EXPECT_NO_TRAP
    la s3, leaf_pt
    addi s3, s3, 4              /* PTE 1 (VA_ALIAS2) */
    EXPECT_FAULTS 12, CAUSE_LOAD_GUEST_PAGE_FAULT, s3

    CASE 17, "satp on: guest page faults still reach the guest, guest-page faults still do not"
    sw zero, 4(s0)              /* invalidate VA_ALIAS2 */
    sfence.vma
    li s2, VA_ALIAS2 + 0x20
2:  lw a3, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 2b
    FAULTS
    EXPECT a0, 12

    csrw satp, zero
    sfence.vma
    j pass

/* U-mode: *a0 = a1, then back */
    .balign 4
u_store:
    sw a1, 0(a0)
    ecall

/* two pages of code on their own, so that their second-stage permissions can be changed alone:
 * code_page starts with a function (li a0, 0x55; ret) and ends with straddle_entry, whose
 * second instruction is the first of code_page2 */
    .balign 4096
code_page:
    li a0, 0x55
    ret
    .skip 0xffc - 8
straddle_entry:
    li a0, 0x66
code_page2:
    addi a0, a0, 1
    ret
    .balign 4096

    .bss
    .balign 4096
root_pt:
    .skip 4096
leaf_pt:
    .skip 4096
page_w:
    .skip 4096
page_r:
    .skip 4096
page_t:
    .skip 4096
page_u:
    .skip 4096
