package dev.rehype.recovery;

/** The two ways of recovering a failed hypervisor. */
public enum RecoveryMode {
    /** ReHype: drop the failed image, boot a pristine one in recovery mode over the preserved state. */
    MICROREBOOT,
    /** NiLiHype: keep the image, discard the failed execution, reset to a quiescent state. */
    MICRORESET
}
