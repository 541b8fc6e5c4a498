package dev.rehype.machine.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rehype.machine.NicDescriptor;
import dev.rehype.machine.peer.ServiceMessages.Bye;
import dev.rehype.machine.peer.ServiceMessages.Hello;
import dev.rehype.machine.peer.ServiceMessages.Request;
import dev.rehype.machine.peer.ServiceMessages.Response;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NetFrameTest {
    /** The test vector the guests' native test (netframe_test.c) checks too. */
    static final NetFrame VECTOR = new NetFrame(NetFrame.TYPE_ECHO_REQUEST, NetFrame.ECHO_SERVER, NetFrame.ECHO_PORT,
            3, 7000, 42, "hello, wire".getBytes(StandardCharsets.US_ASCII));
    static final int VECTOR_CHECK = 0x24d89a4d;

    @Test
    void a_frame_is_a_header_its_payload_and_a_checksum() {
        byte[] b = VECTOR.encode();

        assertThat(b).hasSize(24 + 11);
        assertThat(b[0]).isEqualTo((byte) 'R');
        assertThat(b[1]).isEqualTo((byte) 'N');
        assertThat(b[NetFrame.OFF_TYPE]).isEqualTo((byte) 1);
        assertThat(NetFrame.get16(b, NetFrame.OFF_DST)).isEqualTo(0xFF01);
        assertThat(NetFrame.get16(b, NetFrame.OFF_SRC)).isEqualTo(3);
        assertThat(NetFrame.get32(b, NetFrame.OFF_SEQ)).isEqualTo(42);
        assertThat(NetFrame.get16(b, NetFrame.OFF_LEN)).isEqualTo(11);
        assertThat(NetFrame.get32(b, b.length - 4)).isEqualTo(VECTOR.checksum());
        assertThat(VECTOR.checksum()).isEqualTo(VECTOR_CHECK);
        assertThat(NetFrame.decode(b)).isEqualTo(VECTOR);
    }

    @Test
    void the_checksum_ignores_routing_and_type_so_replies_keep_it() {
        NetFrame reply = VECTOR.replyWith(NetFrame.TYPE_ECHO_REPLY, VECTOR.payload());

        assertThat(reply.dst()).isEqualTo(3);
        assertThat(reply.dstPort()).isEqualTo(7000);
        assertThat(reply.src()).isEqualTo(NetFrame.ECHO_SERVER);
        assertThat(reply.checksum()).isEqualTo(VECTOR.checksum());
        assertThat(new NetFrame(1, 1, 1, 1, 1, 43, VECTOR.payload()).checksum()).isNotEqualTo(VECTOR.checksum());
    }

    @Test
    void malformed_frames_are_named_not_decoded() {
        byte[] good = VECTOR.encode();

        assertThat(NetFrame.problem(good)).isNull();
        assertThat(NetFrame.problem(new byte[23])).contains("shorter than 24");
        byte[] magic = good.clone();
        magic[0] = 0;
        assertThat(NetFrame.problem(magic)).contains("bad magic");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        assertThat(NetFrame.problem(truncated)).contains("does not match");
        byte[] flipped = good.clone();
        flipped[NetFrame.HEADER_BYTES + 3] ^= 0x10;
        assertThat(NetFrame.problem(flipped)).contains("checksum");
        byte[] seq = good.clone();
        seq[NetFrame.OFF_SEQ] ^= 1;
        assertThat(NetFrame.problem(seq)).contains("checksum");
        assertThatThrownBy(() -> NetFrame.decode(flipped)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed frame: checksum");
    }

    @Test
    void the_largest_frame_is_the_nics_largest() {
        NetFrame big = new NetFrame(NetFrame.TYPE_ECHO_REQUEST, 1, 2, 3, 4, -1, new byte[NetFrame.MAX_PAYLOAD_BYTES]);

        assertThat(big.encode()).hasSize(NicDescriptor.MAX_FRAME_BYTES);
        assertThat(NetFrame.decode(big.encode()).seq()).isEqualTo(-1);
        assertThatThrownBy(() -> new NetFrame(1, 1, 2, 3, 4, 5, new byte[NetFrame.MAX_PAYLOAD_BYTES + 1]))
                .hasMessageContaining("0..2024 bytes");
        assertThatThrownBy(() -> new NetFrame(1, 0x10000, 2, 3, 4, 5, new byte[0])).hasMessageContaining("dst");
    }

    @Test
    void service_payloads_round_trip_and_bad_ones_are_refused() {
        Request put = new Request(ServiceMessages.OP_PUT, "c0k3", "value!");
        assertThat(Request.decode(put.encode())).isEqualTo(put);
        Request get = new Request(ServiceMessages.OP_GET, "c1k0", "");
        assertThat(Request.decode(get.encode())).isEqualTo(get);
        assertThat(Request.decode(new Request(ServiceMessages.OP_GET, "k", "v").encode())).isNull();
        assertThat(Request.decode(new Request(ServiceMessages.OP_PUT, "k", "").encode())).isNull();
        assertThat(Request.decode(new Request(9, "k", "").encode())).isNull();
        assertThat(Request.decode(new Request(ServiceMessages.OP_DEL, "", "").encode())).isNull();
        assertThat(Request.decode(new byte[3])).isNull();

        Response found = new Response(ServiceMessages.OP_GET, ServiceMessages.STATUS_OK, "abc");
        assertThat(Response.decode(found.encode())).isEqualTo(found);
        byte[] lying = found.encode();
        lying[2] = 5;
        assertThat(Response.decode(lying)).isNull();

        Hello hello = new Hello(0x5eed, 3, 40, 8);
        assertThat(Hello.decode(hello.encode())).isEqualTo(hello);
        assertThat(hello.problem()).isNull();
        assertThat(new Hello(1, 9, 1, 1).problem()).contains("clients 9");
        assertThat(new Hello(1, 8, 1, 9).problem()).contains("do not fit");
        assertThat(new Hello(1, 1, 0, 1).problem()).contains("no requests");

        Bye bye = new Bye(40, 1, 0xdeadbeef, 2);
        assertThat(Bye.decode(bye.encode())).isEqualTo(bye);
    }

    @Test
    void the_script_is_a_pure_function_of_the_hello_and_clients_never_share_keys() {
        Hello hello = new Hello(7, 3, 50, 8);
        for (int k = 0; k < 3; k++) {
            for (int seq = 1; seq <= 50; seq++) {
                Request r = ServiceScript.request(hello, k, seq);
                assertThat(r).isEqualTo(ServiceScript.request(hello, k, seq));
                assertThat(r.key()).startsWith("c" + k + "k");
                assertThat(Request.decode(r.encode())).isEqualTo(r);
            }
        }
        assertThat(ServiceScript.request(new Hello(8, 3, 50, 8), 0, 1))
                .isNotEqualTo(ServiceScript.request(hello, 0, 1));
    }
}
