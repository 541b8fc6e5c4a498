package dev.rehype.machine.peer;

import dev.rehype.machine.Seeds;
import dev.rehype.machine.peer.ServiceMessages.Hello;
import dev.rehype.machine.peer.ServiceMessages.Request;

import java.util.SplittableRandom;

/**
 * The script the service clients of {@link NetPeer} play: request {@code seq} of client {@code k}
 * in a session is a pure function of the session's hello (its seed and shape), so the exchange —
 * and the digest both ends compute over it — depends on the AppVM's workload parameters only,
 * never on the machine's seed or on timing. Client k uses only the keys {@code "c<k>k<j>"},
 * {@code j < keysPerClient}: clients never share a key, so each client's responses are determined
 * by its own requests whatever the interleaving of clients at the service.
 *
 * <p>Mix: 40% GET, 40% PUT (a value of 1..{@value ServiceMessages#MAX_VALUE_BYTES} printable
 * characters), 20% DEL.
 */
public final class ServiceScript {
    private ServiceScript() {
    }

    /** Request {@code seq} (1-based) of client {@code client} in the session {@code hello} describes. */
    public static Request request(Hello hello, int client, int seq) {
        long sessionRoot = Seeds.derive(Integer.toUnsignedLong(hello.seed()), "netpeer/service");
        SplittableRandom r = new SplittableRandom(Seeds.derive(sessionRoot, "c" + client + "/r" + seq));
        int pick = r.nextInt(10);
        String key = "c" + client + "k" + r.nextInt(hello.keysPerClient());
        if (pick < 4) {
            return new Request(ServiceMessages.OP_GET, key, "");
        }
        if (pick < 8) {
            int length = 1 + r.nextInt(ServiceMessages.MAX_VALUE_BYTES);
            StringBuilder value = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                value.append((char) ('!' + r.nextInt(94)));
            }
            return new Request(ServiceMessages.OP_PUT, key, value.toString());
        }
        return new Request(ServiceMessages.OP_DEL, key, "");
    }
}
