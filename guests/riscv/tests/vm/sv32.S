/*
 * sv32.S - the guest's first-stage translation (Sv32) as the hart implements it.
 *
 * The program builds its own page tables in its RAM: a 4 MiB superpage that identity-maps the
 * program (guest-physical 0x8000_0000.., so code, data, stack and trap handler keep working
 * once satp is on), a second superpage alias at 0xC000_0000, and a level-0 table for the
 * 4 KiB pages at 0x4000_0000 below, one page per property under test. It then checks the walk
 * (aliases see the same memory), the page faults (12 fetch, 13 load, 15 store, stval = virtual
 * address, sepc = faulting instruction), the U bit with SUM, MXR, read-only and reserved
 * encodings, software-managed A/D (a leaf with A=0, or D=0 on a store, faults), misaligned
 * superpages, and that a changed PTE is used after sfence.vma.
 *
 *   VA 0x4000_0000 + n*4 KiB     PTE (level 0)
 *   n=0  VA_ALIAS                page_a   R W   A D
 *   n=1  VA_RO                   page_a   R     A
 *   n=2  VA_UDATA                upage    R W U A D
 *   n=3  VA_XONLY                xpage        X A         (code + a data word)
 *   n=4  VA_NOA                  page_a   R W     D
 *   n=5  VA_NOD                  page_a   R W   A
 *   n=6  VA_UCODE                upage_code R X U A
 *   n=7  VA_UNMAPPED             invalid
 *   n=8  VA_REMAP                page_a, then page_b, then invalid (sfence.vma)
 *   n=9  VA_WONLY                page_a     W   A D       (reserved: W without R)
 *   n=10 VA_NOX                  page_a   R W   A D       (fetch faults)
 *   n=11 VA_POINTER              non-leaf PTE at level 0   (faults)
 *   n=12 VA_STRADDLE             straddle_page    X A     (its last word falls through into n=13)
 *   n=13                         invalid
 *   VA 0x0040_0000               superpage with PPN[0] != 0 (misaligned: faults)
 *   VA 0x5000_0000               no level-1 entry
 *   VA 0xC000_0000               superpage alias of 0x8000_0000 (R W A D)
 *
 * Exit 0 = all cases passed; exit N = case N failed (its description is printed first; cases start at 2).
 */
#include "../priv/priv.h"

#define VA_BASE        0x40000000
#define VA_ALIAS       (VA_BASE + 0x0000)
#define VA_RO          (VA_BASE + 0x1000)
#define VA_UDATA       (VA_BASE + 0x2000)
#define VA_XONLY       (VA_BASE + 0x3000)
#define VA_NOA         (VA_BASE + 0x4000)
#define VA_NOD         (VA_BASE + 0x5000)
#define VA_UCODE       (VA_BASE + 0x6000)
#define VA_UNMAPPED    (VA_BASE + 0x7000)
#define VA_REMAP       (VA_BASE + 0x8000)
#define VA_WONLY       (VA_BASE + 0x9000)
#define VA_NOX         (VA_BASE + 0xA000)
#define VA_POINTER     (VA_BASE + 0xB000)
#define VA_STRADDLE    (VA_BASE + 0xC000)   /* VA_STRADDLE + 0x1000 is invalid */
#define VA_BAD_SUPER   0x00400000
#define VA_NO_L1       0x50000000
#define VA_SUPER_ALIAS 0xC0000000

/* leaf indices */
#define N_ALIAS 0
#define N_RO 1
#define N_UDATA 2
#define N_XONLY 3
#define N_NOA 4
#define N_NOD 5
#define N_UCODE 6
#define N_UNMAPPED 7
#define N_REMAP 8
#define N_WONLY 9
#define N_NOX 10
#define N_POINTER 11
#define N_STRADDLE 12
#define N_STRADDLE_NEXT 13

/* where things sit inside their pages */
#define DATA_OFF       0x100
#define XPAGE_WORD_OFF 0x10     /* xpage: code at +0, a data word at +0x10 */
#define U_LOAD_OFF     0x00     /* upage_code: u_load at +0, u_store at +0x10, u_jump at +0x20 */
#define U_STORE_OFF    0x10
#define U_JUMP_OFF     0x20

#define PAGE_A_WORD    0xa0a0a0a0
#define PAGE_B_WORD    0xb0b0b0b0
#define UPAGE_WORD     0x55aa55aa
#define XPAGE_WORD     0x5a5a5a5a

#define RWAD (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

/* t3 = satp value for root_pt with Sv32 on */
.macro SATP_VALUE
    la t3, root_pt
    srli t3, t3, 12
    li t6, SATP_MODE_SV32
    or t3, t3, t6
.endm

    .text
main:
    /* ---- set-up (case 1): page contents and tables, translation still off ---- */
    la t0, page_a
    li t1, PAGE_A_WORD
    sw t1, DATA_OFF(t0)
    la t0, page_b
    li t1, PAGE_B_WORD
    sw t1, DATA_OFF(t0)
    la t0, upage
    li t1, UPAGE_WORD
    sw t1, DATA_OFF(t0)

    la s1, root_pt
    la s0, leaf_pt
    /* identity superpage over guest-physical 0x8000_0000 */
    li t0, ((0x80000000 >> 12) << 10) | RWAD | PTE_X
    li t1, 4 * (0x80000000 >> 22)
    add t1, t1, s1
    sw t0, 0(t1)
    /* superpage alias at 0xC000_0000 of the same 4 MiB, no X */
    li t0, ((0x80000000 >> 12) << 10) | RWAD
    li t1, 4 * (VA_SUPER_ALIAS >> 22)
    add t1, t1, s1
    sw t0, 0(t1)
    /* misaligned superpage: PPN[0] = 1 */
    li t0, (((0x80000000 >> 12) + 1) << 10) | RWAD
    sw t0, 4 * (VA_BAD_SUPER >> 22)(s1)
    /* level-1 pointer to the leaf table for 0x4000_0000 */
    srli t0, s0, 12
    slli t0, t0, 10
    ori t0, t0, PTE_V
    sw t0, 4 * (VA_BASE >> 22)(s1)

    SET_PTE s0, N_ALIAS, page_a, RWAD
    SET_PTE s0, N_RO, page_a, PTE_V | PTE_R | PTE_A
    SET_PTE s0, N_UDATA, upage, RWAD | PTE_U
    SET_PTE s0, N_XONLY, xpage, PTE_V | PTE_X | PTE_A
    SET_PTE s0, N_NOA, page_a, PTE_V | PTE_R | PTE_W | PTE_D
    SET_PTE s0, N_NOD, page_a, PTE_V | PTE_R | PTE_W | PTE_A
    SET_PTE s0, N_UCODE, upage_code, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
    sw zero, 4 * N_UNMAPPED(s0)
    SET_PTE s0, N_REMAP, page_a, RWAD
    SET_PTE s0, N_WONLY, page_a, PTE_V | PTE_W | PTE_A | PTE_D
    SET_PTE s0, N_NOX, page_a, RWAD
    SET_PTE s0, N_POINTER, page_b, PTE_V
    SET_PTE s0, N_STRADDLE, straddle_page, PTE_V | PTE_X | PTE_A
    sw zero, 4 * N_STRADDLE_NEXT(s0)

    CASE 2, "satp: ASID bits read 0, PPN keeps bits 21:0 (MODE=Bare)"
    li t0, 0x7fffffff
    csrw satp, t0
    csrr t3, satp
    csrw satp, zero
    EXPECT t3, SATP_PPN_MASK
    csrr t3, satp
    EXPECT t3, 0
    EXPECT_NO_TRAP

    CASE 3, "Sv32 on: execution continues through the identity superpage; satp reads back"
    SATP_VALUE
    csrw satp, t3
    sfence.vma
    csrr t4, satp
    EXPECT_REG t4, t3
    la t0, magic
    lw t3, 0(t0)
    EXPECT t3, 0x600dc0de
    EXPECT_NO_TRAP

    CASE 4, "a 4 KiB alias page and its frame see the same memory, both ways"
    li s2, VA_ALIAS
    la s3, page_a
    lw t3, DATA_OFF(s2)
    EXPECT t3, PAGE_A_WORD
    li t4, 0x12345678
    sw t4, 0x10(s2)
    lw t3, 0x10(s3)
    EXPECT t3, 0x12345678
    li t4, 0x9abcdef0
    sw t4, 0x20(s3)
    lw t3, 0x20(s2)
    EXPECT t3, 0x9abcdef0
    sb t4, 0x31(s2)
    lbu t3, 0x31(s3)
    EXPECT t3, 0xf0
    EXPECT_NO_TRAP

    CASE 5, "a superpage alias at 0xC000_0000 sees the program's memory"
    la s3, page_a
    li t0, 0x80000000
    sub t4, s3, t0
    li t0, VA_SUPER_ALIAS
    add s2, t4, t0
    lw t3, 0x10(s2)
    EXPECT t3, 0x12345678
    li t4, 0x0badf00d
    sw t4, 0x40(s2)
    lw t3, 0x40(s3)
    EXPECT t3, 0x0badf00d
    EXPECT_NO_TRAP

    CASE 6, "load from an invalid leaf: scause 13, stval = VA, sepc, destination unchanged"
    li s2, VA_UNMAPPED + 0x24
    li a0, 0x777
1:  lw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 1b
    EXPECT_TF_STATUS SSTATUS_SPP, SSTATUS_SPP
    EXPECT a0, 0x777

    CASE 7, "store to an invalid leaf: scause 15, stval = VA"
    li s2, VA_UNMAPPED + 0x38
2:  sw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_STORE_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 2b

    CASE 8, "fetch from an invalid leaf: scause 12, stval = sepc = VA"
    li s2, VA_UNMAPPED + 0x40
    RESUME_AT 3f
    jalr ra, 0(s2)
    j fail
3:  EXPECT_TRAP 1, CAUSE_FETCH_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_REG TF_EPC, s2

    CASE 9, "amoadd.w to an invalid leaf: scause 15"
    li s2, VA_UNMAPPED + 0x8
    li a1, 1
4:  amoadd.w a0, a1, (s2)
    EXPECT_TRAP 1, CAUSE_STORE_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 4b

    CASE 10, "load with no level-1 entry: scause 13, stval = VA"
    li s2, VA_NO_L1 + 0x10
5:  lw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 5b

    CASE 11, "read-only page: loads work, a store faults (15) and changes nothing"
    li s2, VA_RO
    la s3, page_a
    lw t3, DATA_OFF(s2)
    EXPECT t3, PAGE_A_WORD
    li t4, 0x11111111
    addi s4, s2, DATA_OFF
6:  sw t4, 0(s4)
    EXPECT_TRAP 1, CAUSE_STORE_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s4
    EXPECT_TF_LABEL TF_EPC, 6b
    lw t3, DATA_OFF(s3)
    EXPECT t3, PAGE_A_WORD

    CASE 12, "A=0: load faults (13), store faults (15); the PTE is left as it was"
    li s2, VA_NOA + DATA_OFF
7:  lw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 7b
8:  sw a0, 0(s2)
    EXPECT_TRAP 2, CAUSE_STORE_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 8b
    lw t3, 4 * N_NOA(s0)
    andi t3, t3, PTE_A
    EXPECT t3, 0

    CASE 13, "A=0: after software sets A and sfence.vma the load works"
    lw t3, 4 * N_NOA(s0)
    ori t3, t3, PTE_A
    sw t3, 4 * N_NOA(s0)
    sfence.vma
    li s2, VA_NOA
    lw t3, DATA_OFF(s2)
    EXPECT t3, PAGE_A_WORD
    EXPECT_NO_TRAP

    CASE 14, "D=0: load works, store faults (15) and changes nothing; D stays 0"
    li s2, VA_NOD
    lw t3, DATA_OFF(s2)
    EXPECT t3, PAGE_A_WORD
    addi s4, s2, DATA_OFF
    li t4, 0x22222222
9:  sw t4, 0(s4)
    EXPECT_TRAP 1, CAUSE_STORE_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s4
    EXPECT_TF_LABEL TF_EPC, 9b
    la s3, page_a
    lw t3, DATA_OFF(s3)
    EXPECT t3, PAGE_A_WORD
    lw t3, 4 * N_NOD(s0)
    andi t3, t3, PTE_D
    EXPECT t3, 0

    CASE 15, "D=0: after software sets D and sfence.vma the store lands"
    lw t3, 4 * N_NOD(s0)
    ori t3, t3, PTE_D
    sw t3, 4 * N_NOD(s0)
    sfence.vma
    li s2, VA_NOD
    li t4, 0x33333333
    sw t4, 0x50(s2)
    la s3, page_a
    lw t3, 0x50(s3)
    EXPECT t3, 0x33333333
    EXPECT_NO_TRAP

    CASE 16, "S-mode load/store to a U page fault (13/15) while SUM=0"
    li s2, VA_UDATA + DATA_OFF
10: lw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 10b
11: sw a0, 0(s2)
    EXPECT_TRAP 2, CAUSE_STORE_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 11b

    CASE 17, "S-mode load/store to a U page work with SUM=1"
    SSTATUS_SET SSTATUS_SUM
    li s2, VA_UDATA
    lw t3, DATA_OFF(s2)
    li t4, 0x44444444
    sw t4, 0x60(s2)
    SSTATUS_CLEAR SSTATUS_SUM
    EXPECT t3, UPAGE_WORD
    la s3, upage
    lw t3, 0x60(s3)
    EXPECT t3, 0x44444444
    EXPECT_NO_TRAP

    CASE 18, "S-mode fetch from a U page faults (12) with SUM=0 and with SUM=1"
    li s2, VA_UCODE + U_LOAD_OFF
    RESUME_AT 12f
    jalr ra, 0(s2)
    j fail
12: EXPECT_TRAP 1, CAUSE_FETCH_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_REG TF_EPC, s2
    SSTATUS_SET SSTATUS_SUM
    RESUME_AT 13f
    jalr ra, 0(s2)
    j fail
13: SSTATUS_CLEAR SSTATUS_SUM
    EXPECT_TRAP 2, CAUSE_FETCH_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2

    CASE 19, "U-mode runs from a U page and loads/stores a U page"
    li a0, VA_UDATA + DATA_OFF
    li a1, 0
    RUN_U_AT VA_UCODE + U_LOAD_OFF, 14f
14: EXPECT_TRAP 1, CAUSE_ECALL_U
    EXPECT a1, UPAGE_WORD
    li a0, VA_UDATA + 0x70
    li a1, 0x66666666
    RUN_U_AT VA_UCODE + U_STORE_OFF, 15f
15: EXPECT_TRAP 2, CAUSE_ECALL_U
    la s3, upage
    lw t3, 0x70(s3)
    EXPECT t3, 0x66666666

    CASE 20, "U-mode load/store to a non-U page fault (13/15), SUM notwithstanding"
    li a0, VA_ALIAS + DATA_OFF
    RUN_U_AT VA_UCODE + U_LOAD_OFF, 16f
16: EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    li t3, VA_ALIAS + DATA_OFF
    EXPECT_TF_REG TF_TVAL, t3
    li t3, VA_UCODE + U_LOAD_OFF
    EXPECT_TF_REG TF_EPC, t3
    EXPECT_TF_STATUS SSTATUS_SPP, 0
    SSTATUS_SET SSTATUS_SUM
    li a0, VA_ALIAS + DATA_OFF
    RUN_U_AT VA_UCODE + U_STORE_OFF, 17f
17: SSTATUS_CLEAR SSTATUS_SUM
    EXPECT_TRAP 2, CAUSE_STORE_PAGE_FAULT
    li t3, VA_ALIAS + DATA_OFF
    EXPECT_TF_REG TF_TVAL, t3

    CASE 21, "U-mode fetch from a non-U page faults (12)"
    la s2, main
    mv a0, s2
    RUN_U_AT VA_UCODE + U_JUMP_OFF, 18f
18: EXPECT_TRAP 1, CAUSE_FETCH_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_REG TF_EPC, s2
    EXPECT_TF_STATUS SSTATUS_SPP, 0

    CASE 22, "execute-only page: fetch works, load faults (13) without MXR"
    li s2, VA_XONLY
    li a0, 0
    jalr ra, 0(s2)
    EXPECT a0, 0x77
    li s2, VA_XONLY + XPAGE_WORD_OFF
19: lw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 19b

    CASE 23, "MXR=1: loads from the execute-only page work; stores still fault (15)"
    SSTATUS_SET SSTATUS_MXR
    li s2, VA_XONLY + XPAGE_WORD_OFF
    lw t3, 0(s2)
    mv s5, t3
20: sw zero, 0(s2)
    SSTATUS_CLEAR SSTATUS_MXR
    EXPECT s5, XPAGE_WORD
    EXPECT_TRAP 1, CAUSE_STORE_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 20b

    CASE 24, "MXR does not let S-mode read a U page without SUM"
    SSTATUS_SET SSTATUS_MXR
    li s2, VA_UDATA + DATA_OFF
21: lw a0, 0(s2)
    SSTATUS_CLEAR SSTATUS_MXR
    EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF_LABEL TF_EPC, 21b

    CASE 25, "fetch from a page without X faults (12)"
    li s2, VA_NOX + 0x200
    RESUME_AT 22f
    jalr ra, 0(s2)
    j fail
22: EXPECT_TRAP 1, CAUSE_FETCH_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_REG TF_EPC, s2

    CASE 26, "reserved W-without-R leaf: load faults (13), store faults (15)"
    li s2, VA_WONLY + DATA_OFF
23: lw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 23b
24: sw a0, 0(s2)
    EXPECT_TRAP 2, CAUSE_STORE_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2

    CASE 27, "a non-leaf PTE at level 0 faults (13)"
    li s2, VA_POINTER + 0x8
25: lw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 25b

    CASE 28, "misaligned superpage (PPN[0] != 0): load faults (13), fetch faults (12)"
    li s2, VA_BAD_SUPER + 0x1000
26: lw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 26b
    RESUME_AT 27f
    jalr ra, 0(s2)
    j fail
27: EXPECT_TRAP 2, CAUSE_FETCH_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2

    CASE 29, "misaligned load through a mapped page: scause 4, stval = the virtual address"
    li s2, VA_ALIAS + 0x102
28: lw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_MISALIGNED
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 28b

    CASE 30, "sfence.vma (all): a changed leaf PTE is used afterwards"
    li s2, VA_REMAP
    lw t3, DATA_OFF(s2)
    EXPECT t3, PAGE_A_WORD
    SET_PTE s0, N_REMAP, page_b, RWAD
    sfence.vma
    lw t3, DATA_OFF(s2)
    EXPECT t3, PAGE_B_WORD
    EXPECT_NO_TRAP

    CASE 31, "sfence.vma with an address: the changed PTE for that page is used afterwards"
    li s2, VA_REMAP
    SET_PTE s0, N_REMAP, page_a, RWAD
    sfence.vma s2, zero
    lw t3, DATA_OFF(s2)
    EXPECT t3, PAGE_A_WORD
    EXPECT_NO_TRAP

    CASE 32, "sfence.vma after invalidating a PTE: the page now faults (13)"
    li s2, VA_REMAP + DATA_OFF
    lw t3, 0(s2)
    EXPECT t3, PAGE_A_WORD
    sw zero, 4 * N_REMAP(s0)
    sfence.vma
29: lw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 29b

    CASE 33, "sfence.vma after making a page valid again: the load works"
    SET_PTE s0, N_REMAP, page_b, RWAD
    sfence.vma
    li s2, VA_REMAP
    lw t3, DATA_OFF(s2)
    EXPECT t3, PAGE_B_WORD
    EXPECT_NO_TRAP

    CASE 34, "a changed level-1 entry is used after sfence.vma"
    /* point the 0x4000_0000 region's level-1 entry straight at page_b's 4 MiB as a superpage */
    li t0, ((0x80000000 >> 12) << 10) | RWAD
    sw t0, 4 * (VA_BASE >> 22)(s1)
    sfence.vma
    la s3, page_b
    li t0, 0x80000000
    sub t4, s3, t0
    li t0, VA_BASE
    add s2, t4, t0
    lw t3, DATA_OFF(s2)
    EXPECT t3, PAGE_B_WORD
    /* and back to the leaf table */
    srli t0, s0, 12
    slli t0, t0, 10
    ori t0, t0, PTE_V
    sw t0, 4 * (VA_BASE >> 22)(s1)
    sfence.vma
    li s2, VA_RO
    lw t3, DATA_OFF(s2)
    EXPECT t3, PAGE_A_WORD
    EXPECT_NO_TRAP

    CASE 35, "a page fault taken in U-mode with satp on leaves U-mode state for the handler"
    li a0, VA_UNMAPPED
    RUN_U_AT VA_UCODE + U_LOAD_OFF, 30f
30: EXPECT_TRAP 1, CAUSE_LOAD_PAGE_FAULT
    EXPECT_TF TF_TVAL, VA_UNMAPPED
    EXPECT_TF_STATUS SSTATUS_SPP, 0

    CASE 36, "execution running off the end of a page into an invalid one: fetch fault (12) at the next page"
    li a0, 0
    li s2, VA_STRADDLE + 0xffc
    RESUME_AT 31f
    jalr ra, 0(s2)
    j fail
31: EXPECT_TRAP 1, CAUSE_FETCH_PAGE_FAULT
    li t3, VA_STRADDLE + 0x1000
    EXPECT_TF_REG TF_TVAL, t3
    EXPECT_TF_REG TF_EPC, t3
    EXPECT a0, 1

    CASE 37, "misaligned load/store to an unmapped page report address-misaligned (4/6), as misaligned accesses are never done"
    li s2, VA_UNMAPPED + 0x41
32: lw a0, 0(s2)
    EXPECT_TRAP 1, CAUSE_LOAD_MISALIGNED
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 32b
33: sh a0, 0(s2)
    EXPECT_TRAP 2, CAUSE_STORE_MISALIGNED
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 33b

    CASE 38, "lr.w from a read-only page works; amoswap.w to it faults (15) and changes nothing"
    li s2, VA_RO + DATA_OFF
    lr.w t3, (s2)
    EXPECT t3, PAGE_A_WORD
    li t4, 0x12
34: amoswap.w a0, t4, (s2)
    EXPECT_TRAP 1, CAUSE_STORE_PAGE_FAULT
    EXPECT_TF_REG TF_TVAL, s2
    EXPECT_TF_LABEL TF_EPC, 34b
    lw t3, 0(s2)
    EXPECT t3, PAGE_A_WORD

    CASE 39, "satp off again: addresses are guest-physical"
    csrw satp, zero
    sfence.vma
    la s3, page_a
    lw t3, DATA_OFF(s3)
    EXPECT t3, PAGE_A_WORD
    csrr t3, satp
    EXPECT t3, 0
    EXPECT_NO_TRAP

    j pass

/* ---- pages of code mapped at other virtual addresses ---- */

/* xpage: mapped execute-only at VA_XONLY; position-independent. */
    .balign 4096
xpage:
    li a0, 0x77
    ret
    .balign 16
xpage_word:                         /* at XPAGE_WORD_OFF */
    .word XPAGE_WORD

/* straddle_page: mapped X at VA_STRADDLE; one instruction in its last word, then the next
 * virtual page, which is invalid. */
    .balign 4096
straddle_page:
    .skip 0xffc
    addi a0, a0, 1

/* upage_code: mapped U R X at VA_UCODE; U-mode entry points, each ending in ecall. */
    .balign 4096
upage_code:
u_load:                             /* U_LOAD_OFF: a1 = *a0 */
    lw a1, 0(a0)
    ecall
    .balign 16
u_store:                            /* U_STORE_OFF: *a0 = a1 */
    sw a1, 0(a0)
    ecall
    .balign 16
u_jump:                             /* U_JUMP_OFF: jump to a0 */
    jalr a0
    ecall
    .balign 4096

    .data
    .balign 4
magic:
    .word 0x600dc0de

    .bss
    .balign 4096
root_pt:
    .skip 4096
leaf_pt:
    .skip 4096
page_a:
    .skip 4096
page_b:
    .skip 4096
upage:
    .skip 4096
