/*
 * csr.h — supervisor-level CSR bits and trap causes of the RISC-V privileged architecture as
 * the ReHype machine implements them, for guest programs in assembly and C. Names follow the
 * privileged specification (scause values, sstatus/sip/sie bits, satp fields). Only #defines,
 * so the file is safe to include from .S files.
 */
#ifndef REHYPE_GUEST_CSR_H
#define REHYPE_GUEST_CSR_H

/* sstatus */
#define SSTATUS_SIE         (1 << 1)
#define SSTATUS_SPIE        (1 << 5)
#define SSTATUS_SPP         (1 << 8)
#define SSTATUS_SUM         (1 << 18)
#define SSTATUS_MXR         (1 << 19)

/* sip / sie */
#define SIP_SSIP            (1 << 1)
#define SIP_STIP            (1 << 5)
#define SIP_SEIP            (1 << 9)
#define SIE_SSIE            SIP_SSIP
#define SIE_STIE            SIP_STIP
#define SIE_SEIE            SIP_SEIP

/* stvec */
#define STVEC_MODE_DIRECT   0
#define STVEC_MODE_VECTORED 1

/* satp */
#define SATP_MODE_SV32      (1 << 31)
#define SATP_PPN_MASK       0x003fffff

/* scause: exceptions (interrupt bit clear) */
#define CAUSE_FETCH_MISALIGNED      0
#define CAUSE_FETCH_ACCESS          1
#define CAUSE_ILLEGAL_INSTRUCTION   2
#define CAUSE_BREAKPOINT            3
#define CAUSE_LOAD_MISALIGNED       4
#define CAUSE_LOAD_ACCESS           5
#define CAUSE_STORE_MISALIGNED      6
#define CAUSE_STORE_ACCESS          7
#define CAUSE_ECALL_U               8
#define CAUSE_ECALL_S               9
#define CAUSE_FETCH_PAGE_FAULT      12
#define CAUSE_LOAD_PAGE_FAULT       13
#define CAUSE_STORE_PAGE_FAULT      15

/* scause: interrupts */
#define CAUSE_INTERRUPT             0x80000000
#define CAUSE_SSI                   (CAUSE_INTERRUPT | 1)
#define CAUSE_STI                   (CAUSE_INTERRUPT | 5)
#define CAUSE_SEI                   (CAUSE_INTERRUPT | 9)

#endif /* REHYPE_GUEST_CSR_H */
