package dev.rehype.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleTest {

    @Test
    void keeps_what_is_written_in_order() {
        Console console = new Console();
        console.write('h');
        byte[] rest = "ello, world\n".getBytes(StandardCharsets.UTF_8);
        console.write(rest, 0, rest.length);

        assertThat(console.text()).isEqualTo("hello, world\n");
        assertThat(console.bytesWritten()).isEqualTo(13);
        assertThat(console.bytes()).hasSize(13);
        assertThat(console.capacityBytes()).isEqualTo(Console.DEFAULT_CAPACITY_BYTES).isEqualTo(4 << 20);
    }

    @Test
    void writes_only_the_requested_slice_and_the_low_byte() {
        Console console = new Console();
        console.write("xxabcxx".getBytes(StandardCharsets.US_ASCII), 2, 3);
        console.write(0x100 + 'd');
        assertThat(console.text()).isEqualTo("abcd");
        assertThatThrownBy(() -> console.write(new byte[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void decodes_utf8_and_replaces_malformed_bytes() {
        Console console = new Console();
        byte[] text = "é€".getBytes(StandardCharsets.UTF_8);
        console.write(text, 0, text.length);
        console.write(0xFF);
        assertThat(console.text()).isEqualTo("é€\uFFFD");
    }

    @Test
    void drops_the_oldest_bytes_beyond_its_capacity_but_keeps_counting() {
        Console console = new Console(8);
        byte[] text = "0123456789abc".getBytes(StandardCharsets.US_ASCII);
        console.write(text, 0, 5);
        console.write(text, 5, 8);
        assertThat(console.text()).isEqualTo("56789abc");
        assertThat(console.bytesWritten()).isEqualTo(13);

        console.write('d');
        assertThat(console.text()).isEqualTo("6789abcd");
        assertThat(console.bytesWritten()).isEqualTo(14);
    }

    @Test
    void grows_up_to_a_capacity_that_is_not_a_power_of_two() {
        Console console = new Console(10_000);
        for (int i = 0; i < 25_000; i++) {
            console.write('a' + i % 26);
        }
        byte[] kept = console.bytes();
        assertThat(kept).hasSize(10_000);
        assertThat(kept[0]).isEqualTo((byte) ('a' + 15_000 % 26));
        assertThat(kept[9_999]).isEqualTo((byte) ('a' + 24_999 % 26));
    }

    @Test
    void tees_every_write_to_an_output_stream_until_told_to_stop() {
        Console console = new Console();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        console.write('a');
        console.setTee(out);
        console.write('b');
        console.write("cd".getBytes(StandardCharsets.US_ASCII), 0, 2);
        console.setTee(null);
        console.write('e');

        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("bcd");
        assertThat(console.text()).isEqualTo("abcde");
    }

    @Test
    void a_failing_tee_is_dropped_and_the_console_keeps_working() {
        Console console = new Console();
        IOException failure = new IOException("terminal closed");
        console.setTee(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw failure;
            }
        });
        console.write('x');
        console.write('y');

        assertThat(console.text()).isEqualTo("xy");
        assertThat(console.teeError()).isSameAs(failure);
    }

    @Test
    void the_hash_covers_kept_bytes_and_the_count() {
        Console a = new Console(4);
        Console b = new Console(4);
        byte[] text = "abcdef".getBytes(StandardCharsets.US_ASCII);
        a.write(text, 0, 6);
        b.write(text, 0, 6);
        assertThat(hash(a)).isEqualTo(hash(b));

        Console c = new Console(4);
        c.write(text, 2, 4); // same kept bytes "cdef", different count
        assertThat(c.text()).isEqualTo(a.text());
        assertThat(hash(c)).isNotEqualTo(hash(a));
    }

    @Test
    void a_capacity_below_one_is_refused() {
        assertThatThrownBy(() -> new Console(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String hash(Console console) {
        StateHasher hasher = new StateHasher();
        console.hashInto(hasher);
        return hasher.hex();
    }
}
