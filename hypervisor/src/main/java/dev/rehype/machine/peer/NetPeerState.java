package dev.rehype.machine.peer;

import dev.rehype.machine.WirePeer;
import dev.rehype.machine.snapshot.PeerState;

/**
 * A {@link NetPeer} as data, for a machine snapshot: its configuration, its counters and every
 * service session with each client's position, digest, counts and model of the store. Arrays
 * belong to the record (an export makes fresh ones, an import copies what it keeps), as in the
 * other snapshot records; sessions are in domid order and model entries in key order. A snapshot
 * encoder must register this record, {@link Session}, {@link Client} and their arrays.
 *
 * @param seed             the peer's seed (timing only)
 * @param turnaroundCycles how long the peer takes to answer a frame, before the seeded think time
 * @param echoes           echo requests answered
 * @param malformed        frames that were not well-formed RHNET frames
 * @param unexpected       well-formed frames nobody on the wire expected
 * @param refusedHellos    hellos describing a session the peer cannot play
 * @param sessions         the service sessions, in domid order
 */
public record NetPeerState(long seed, long turnaroundCycles, long echoes, long malformed, long unexpected,
                           long refusedHellos, Session[] sessions) implements PeerState {

    /**
     * One AppVM's service session.
     *
     * @param domid             the AppVM
     * @param appPort           the port its hello came from (requests go there)
     * @param helloSeed         the script seed of the hello that started it
     * @param clientCount       clients in the session
     * @param requestsPerClient requests each client sends
     * @param keysPerClient     keys each client uses
     * @param clients           one entry per client, in client order
     */
    public record Session(int domid, int appPort, int helloSeed, int clientCount, int requestsPerClient,
                          int keysPerClient, Client[] clients) {
    }

    /**
     * One client of a session.
     *
     * @param seq         the request in flight (1..requests), or requests + 1 when the client is done
     * @param digest      its digest of the exchange so far
     * @param mismatches  responses that differed from its model
     * @param duplicates  responses for a request already answered
     * @param modelKeys   its model of the store: keys in order ...
     * @param modelValues ... and their values
     */
    public record Client(int seq, int digest, int mismatches, int duplicates, String[] modelKeys,
                         String[] modelValues) {
    }

    @Override
    public WirePeer newPeer() {
        NetPeer peer = new NetPeer(seed, turnaroundCycles);
        peer.importState(this);
        return peer;
    }
}
