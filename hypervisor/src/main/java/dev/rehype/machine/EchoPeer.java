package dev.rehype.machine;

import dev.rehype.machine.snapshot.EchoPeerState;

/**
 * The default {@link WirePeer}: sends every frame back unchanged, {@code latencyCycles} after it
 * arrived (the time a remote host takes to turn it around). Stateless apart from the latency.
 */
public final class EchoPeer implements WirePeer, StateHashable {
    private final long latencyCycles;

    public EchoPeer(long latencyCycles) {
        if (latencyCycles < 0) {
            throw new IllegalArgumentException("echo latency must not be negative, got " + latencyCycles);
        }
        this.latencyCycles = latencyCycles;
    }

    public long latencyCycles() {
        return latencyCycles;
    }

    @Override
    public void receive(byte[] frame, long nowCycles, Wire wire) {
        wire.sendToNic(frame, nowCycles + latencyCycles);
    }

    @Override
    public EchoPeerState exportState() {
        return new EchoPeerState(latencyCycles);
    }

    @Override
    public void hashInto(StateHasher hasher) {
        hasher.putTag("echo-peer").putLong(latencyCycles);
    }
}
