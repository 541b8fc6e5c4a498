package dev.rehype.machine.peer;

/**
 * What {@link NetPeer} saw, for the host to report beside the AppVMs' own verdicts: the peer
 * checks every service response independently of the AppVM that sent it.
 *
 * @param echoes         echo requests answered
 * @param exchanges      service requests answered and checked, over every session
 * @param mismatches     service responses that differed from the clients' models
 * @param duplicates     service responses for requests already answered (after a nudge)
 * @param sessions       service sessions started
 * @param clients        clients over every session
 * @param clientsDone    clients that finished their script
 * @param malformed      frames that were not well-formed RHNET frames
 * @param unexpected     well-formed frames nobody on the wire expected
 * @param refusedHellos  hellos describing a session the peer cannot play
 */
public record NetPeerReport(long echoes, long exchanges, long mismatches, long duplicates, int sessions, int clients,
                            int clientsDone, long malformed, long unexpected, long refusedHellos) {

    /** True when the peer counted no wrong service response, no malformed frame and no refused hello. */
    public boolean clean() {
        return mismatches == 0 && malformed == 0 && refusedHellos == 0;
    }

    /**
     * One client of a session.
     *
     * @param client     its index (wire id SERVICE_CLIENT_BASE + client)
     * @param exchanges  requests answered and checked
     * @param mismatches responses that differed from its model
     * @param duplicates responses for requests already answered
     * @param digest     its digest of the exchange
     * @param done       it has finished its script
     */
    public record ClientReport(int client, int exchanges, int mismatches, int duplicates, int digest, boolean done) {
    }
}
