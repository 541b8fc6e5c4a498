package dev.rehype.machine.port;

/** The NIC's IOMMU context as the hypervisor sets it (implemented by {@link dev.rehype.machine.Nic}). */
public interface NicPort {
    /** The root of the P2M its DMA goes through, or {@link dev.rehype.machine.Nic#DMA_BLOCKED}/{@code DMA_IDENTITY}. */
    long dmaRoot();

    void setDmaRoot(long root);
}
