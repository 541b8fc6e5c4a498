/*
 * frame.h — the trap frame: what the trap entry (entry.S) saves of the interrupted context on
 * the kernel stack, and the switch context of a thread. Shared by assembly and C so that the
 * offsets are written once.
 *
 *   trap frame (144 bytes, 16-byte aligned)     switch context (56 bytes)
 *   +0    sepc  (slot of x0)                    +0   ra
 *   +4    x1 ra                                 +4   sp
 *   +8    x2 sp (of the interrupted context)    +8   s0 .. +52 s11
 *   ...   xN at N*4
 *   +124  x31 t6
 *   +128  sstatus (as the trap left it: SPP, SPIE)
 *   +132  scause
 *   +136  stval
 *   +140  (pad)
 */
#ifndef REHYPE_KERNEL_FRAME_H
#define REHYPE_KERNEL_FRAME_H

#define FRAME_SEPC      0
#define FRAME_REG(n)    ((n) * 4)
#define FRAME_SSTATUS   128
#define FRAME_SCAUSE    132
#define FRAME_STVAL     136
#define FRAME_SIZE      144

#define CONTEXT_RA      0
#define CONTEXT_SP      4
#define CONTEXT_S(n)    (8 + (n) * 4)
#define CONTEXT_SIZE    56

/* Register numbers used by the C side. */
#define REG_RA   1
#define REG_SP   2
#define REG_A0   10
#define REG_A1   11
#define REG_A2   12
#define REG_A7   17

#ifndef __ASSEMBLER__

#include <stdint.h>

struct trap_frame {
    uint32_t regs[32];   /* regs[0] = sepc, regs[n] = xn */
    uint32_t sstatus;
    uint32_t scause;
    uint32_t stval;
    uint32_t pad;
};

struct context {
    uint32_t ra;
    uint32_t sp;
    uint32_t s[12];
};

_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "trap frame size");
_Static_assert(__builtin_offsetof(struct trap_frame, sstatus) == FRAME_SSTATUS, "frame sstatus");
_Static_assert(__builtin_offsetof(struct trap_frame, stval) == FRAME_STVAL, "frame stval");
_Static_assert(sizeof(struct context) == CONTEXT_SIZE, "context size");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_KERNEL_FRAME_H */
