package dev.rehype.hypervisor.system;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.rehype.hypervisor.image.CoreHeapState;
import dev.rehype.machine.MachineConfig;
import dev.rehype.machine.snapshot.ConsoleState;
import dev.rehype.machine.snapshot.EchoPeerState;
import dev.rehype.machine.snapshot.EventQueueState;
import dev.rehype.machine.snapshot.HartState;
import dev.rehype.machine.snapshot.InterruptControllerState;
import dev.rehype.machine.snapshot.MachineState;
import dev.rehype.machine.snapshot.NicCountersState;
import dev.rehype.machine.snapshot.NicRingState;
import dev.rehype.machine.snapshot.NicState;
import dev.rehype.machine.snapshot.PendingEventKind;
import dev.rehype.machine.snapshot.PendingEventState;
import dev.rehype.machine.snapshot.TimerState;
import dev.rehype.machine.peer.NetPeerState;

/**
 * Encodes and decodes the object part of a snapshot ({@link SnapshotContents}) with Kryo. Every
 * class that may appear is registered under a fixed id and registration is required, so the bytes
 * name no class and a class that was not meant to be in a snapshot cannot slip in. The ids are part
 * of the format: changing one, or what a registered record holds, means bumping
 * {@link SnapshotLayout#FORMAT_VERSION}. Nothing here iterates a hashed collection, so the same
 * contents always give the same bytes.
 *
 * <p>A Kryo instance is not thread-safe: each call builds its own, so the codec may be used from
 * any number of threads.
 */
public final class SnapshotCodec {
    /** First id of this codec's registrations; Kryo keeps the ones below for its own types. */
    static final int FIRST_ID = 100;

    private SnapshotCodec() {
    }

    /** The Kryo encoding of {@code contents}. */
    public static byte[] encode(SnapshotContents contents) {
        try (Output out = new Output(64 * 1024, -1)) {
            newKryo().writeObject(out, contents);
            return out.toBytes();
        }
    }

    /**
     * Decodes an object part.
     *
     * @throws IllegalArgumentException with a one-line reason when the bytes are not the encoding
     *         of valid contents (including bytes left over at the end)
     */
    public static SnapshotContents decode(byte[] bytes) {
        SnapshotContents contents;
        int used;
        try (Input in = new Input(bytes)) {
            contents = newKryo().readObject(in, SnapshotContents.class);
            used = in.position();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("object part cannot be decoded: " + rootMessage(e), e);
        } catch (OutOfMemoryError e) {
            // A length field that survived the checksum but announces an impossible array: the
            // allocation failed whole, so nothing else is affected.
            throw new IllegalArgumentException("object part cannot be decoded: it announces an array larger than"
                    + " memory (" + e.getMessage() + ")");
        }
        if (used != bytes.length) {
            throw new IllegalArgumentException("object part has " + (bytes.length - used)
                    + " bytes left over after its contents");
        }
        return contents;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    /** A Kryo with every class of the object part registered under its fixed id. */
    static Kryo newKryo() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        int id = FIRST_ID;
        // The order below fixes the ids: append only, never reorder or remove.
        for (Class<?> type : new Class<?>[] {
                SnapshotContents.class,
                SystemConfig.class,
                CoreHeapState.class,
                MachineConfig.class,
                MachineState.class,
                HartState.class,
                HartState[].class,
                TimerState.class,
                TimerState[].class,
                EventQueueState.class,
                PendingEventState.class,
                PendingEventState[].class,
                PendingEventKind.class,
                InterruptControllerState.class,
                ConsoleState.class,
                NicState.class,
                NicRingState.class,
                NicCountersState.class,
                EchoPeerState.class,
                int[].class,
                long[].class,
                boolean[].class,
                byte[].class,
                int[][].class,
                boolean[][].class,
                NetPeerState.class,
                NetPeerState.Session.class,
                NetPeerState.Session[].class,
                NetPeerState.Client.class,
                NetPeerState.Client[].class,
                String[].class,
        }) {
            kryo.register(type, id++);
        }
        return kryo;
    }
}
