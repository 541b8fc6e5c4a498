/*
 * selfmod.S - code that is written by stores and then executed (JITs, loaders, patching).
 *
 * After a store to instruction memory and fence.i the hart must execute the new instruction,
 * even when the old one was executed (and perhaps decoded and cached) before, when the patched
 * instruction lies a few words ahead of the store in the same page, or when the code is written
 * through one virtual alias and executed through another. A hypervisor that write-protects a
 * code page in the second stage (dirty tracking) must not stop it from executing; the first
 * store to it is a guest-page fault the monitor absorbs, after which the new code runs.
 *
 * The self-modified code lives in its own page of the data segment (smc_page).
 *
 * Exit 0 = all cases passed; exit N = case N failed (its description is printed first; cases start at 2).
 */
#include "../priv/priv.h"

/* addi a0, x0, imm  /  addi a0, a0, imm  /  jalr x0, 0(ra) */
#define ENC_LI_A0(imm)   ((((imm) & 0xfff) << 20) | 0x00000513)
#define ENC_ADDI_A0(imm) ((((imm) & 0xfff) << 20) | 0x00050513)
#define ENC_RET          0x00008067

#define VA_CODE_ALIAS 0x40000000    /* writable alias of smc_page when satp is on */
#define RWAD (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

/* Store instruction word `enc` at smc_page + `offset` (clobbers t3, t4). */
.macro PUT_INSN offset, enc
    la t3, smc_page
    li t4, \enc
    sw t4, \offset(t3)
.endm

.macro CALL_SMC offset
    la t3, smc_page
    jalr ra, \offset(t3)
.endm

    .text
main:
    CASE 2, "instructions stored into a fresh buffer run after fence.i"
    PUT_INSN 0x000, ENC_LI_A0(42)
    PUT_INSN 0x004, ENC_RET
    fence.i
    li a0, 0
    CALL_SMC 0x000
    EXPECT a0, 42
    EXPECT_NO_TRAP

    CASE 3, "an instruction already executed, overwritten, runs in its new form after fence.i"
    PUT_INSN 0x000, ENC_LI_A0(43)
    fence.i
    li a0, 0
    CALL_SMC 0x000
    EXPECT a0, 43
    EXPECT_NO_TRAP

    CASE 4, "sixteen rounds of patch / fence.i / call each see their own immediate"
    li s2, 16
1:  slli t4, s2, 20
    ori t4, t4, 0x513           /* li a0, s2 */
    la t3, smc_page
    sw t4, 0(t3)
    fence.i
    li a0, -1
    CALL_SMC 0x000
    EXPECT_REG a0, s2
    addi s2, s2, -1
    bnez s2, 1b
    EXPECT_NO_TRAP

    CASE 5, "patching one instruction in the middle of a straight-line sequence"
    PUT_INSN 0x100, ENC_LI_A0(1)
    PUT_INSN 0x104, ENC_ADDI_A0(1)
    PUT_INSN 0x108, ENC_ADDI_A0(1)
    PUT_INSN 0x10c, ENC_ADDI_A0(1)
    PUT_INSN 0x110, ENC_RET
    fence.i
    CALL_SMC 0x100
    EXPECT a0, 4
    PUT_INSN 0x108, ENC_ADDI_A0(100)
    fence.i
    CALL_SMC 0x100
    EXPECT a0, 103
    EXPECT_NO_TRAP

    CASE 6, "code that patches an instruction a few words ahead of itself in its own page"
    li a0, 0
    call smc_self
    EXPECT a0, 2
    EXPECT_NO_TRAP

    CASE 7, "a code page write-protected in the second stage (R|X) still executes without faults"
    PUT_INSN 0x000, ENC_LI_A0(7)
    fence.i
    la a0, smc_page
    li a1, MON_PERM_R | MON_PERM_X
    MCALL MON_PROTECT
    li a0, 0
    CALL_SMC 0x000
    EXPECT a0, 7
    MCALL MON_FAULTS
    EXPECT a0, 0
    EXPECT_NO_TRAP

    CASE 8, "the first store to that page is a guest-page fault (23) the monitor absorbs; the new code then runs"
    PUT_INSN 0x000, ENC_LI_A0(8)
    fence.i
    li a0, 0
    CALL_SMC 0x000
    EXPECT a0, 8
    MCALL MON_FAULTS
    EXPECT a0, 1
    EXPECT a2, CAUSE_STORE_GUEST_PAGE_FAULT
    la t3, smc_page
    EXPECT_REG a1, t3
    EXPECT_NO_TRAP

    CASE 9, "an execute-only page in the second stage runs; a load from it faults (21) and is retried"
    PUT_INSN 0x000, ENC_LI_A0(9)
    fence.i
    la a0, smc_page
    li a1, MON_PERM_X
    MCALL MON_PROTECT
    li a0, 0
    CALL_SMC 0x000
    EXPECT a0, 9
    MCALL MON_FAULTS
    EXPECT a0, 1
    la s3, smc_page
    lw t3, 4(s3)
    EXPECT t3, ENC_RET
    MCALL MON_FAULTS
    EXPECT a0, 2
    EXPECT a2, CAUSE_LOAD_GUEST_PAGE_FAULT
    addi s3, s3, 4
    EXPECT_REG a1, s3
    EXPECT_NO_TRAP

    CASE 10, "code written through a writable virtual alias runs through the executable mapping"
    la s1, root_pt
    la s0, leaf_pt
    li t0, ((0x80000000 >> 12) << 10) | RWAD | PTE_X
    li t1, 4 * (0x80000000 >> 22)
    add t1, t1, s1
    sw t0, 0(t1)
    srli t0, s0, 12
    slli t0, t0, 10
    ori t0, t0, PTE_V
    sw t0, 4 * (VA_CODE_ALIAS >> 22)(s1)
    SET_PTE s0, 0, smc_page, RWAD
    srli t0, s1, 12
    li t1, SATP_MODE_SV32
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    li a0, 0
    CALL_SMC 0x000
    EXPECT a0, 9
    li s2, VA_CODE_ALIAS
    li t4, ENC_LI_A0(10)
    sw t4, 0(s2)
    fence.i
    li a0, 0
    CALL_SMC 0x000
    EXPECT a0, 10
    csrw satp, zero
    sfence.vma
    EXPECT_NO_TRAP

    j pass

/* ---- the self-modified page ---- */
    .data
    .balign 4096
smc_page:
    .skip 0x200
/* smc_self (at smc_page + 0x200): store `li a0, 2` over the `li a0, 1` below, then run it */
smc_self:
    la t3, smc_self_site
    li t4, ENC_LI_A0(2)
    sw t4, 0(t3)
    fence.i
smc_self_site:
    li a0, 1
    ret
    .balign 4096

    .bss
    .balign 4096
root_pt:
    .skip 4096
leaf_pt:
    .skip 4096
