/*
 * The JSON writer escapes every string as RFC 8259 requires, writes absent and non-finite numbers
 * as null, and refuses to produce invalid JSON.
 */
package dev.rehype.cli.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void escapesQuotesBackslashesAndTheShortEscapes() {
        assertThat(JsonWriter.quote("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
        assertThat(JsonWriter.quote("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
    }

    @Test
    void escapesOtherControlCharactersAsUnicodeEscapes() {
        assertThat(JsonWriter.quote("\u0000\u0001\u001f")).isEqualTo("\"\\u0000\\u0001\\u001f\"");
        assertThat(JsonWriter.quote("\u007f")).isEqualTo("\"\u007f\"");
    }

    @Test
    void keepsNonAsciiTextButEscapesLineSeparatorsAndLoneSurrogates() {
        assertThat(JsonWriter.quote("héllo ✓ \uD83D\uDE00")).isEqualTo("\"héllo ✓ \uD83D\uDE00\"");
        assertThat(JsonWriter.quote("a\u2028b\u2029")).isEqualTo("\"a\\u2028b\\u2029\"");
        assertThat(JsonWriter.quote("x\uD83Dy\uDE00")).isEqualTo("\"x\\ud83dy\\ude00\"");
    }

    @Test
    void writesObjectsArraysNumbersBooleansAndNulls() {
        String json = new JsonWriter()
                .beginObject()
                .name("s").value("v")
                .name("n").value(42L)
                .name("d").value(1.5)
                .name("b").value(true)
                .name("none").value((String) null)
                .name("absent").value((Double) null)
                .name("nan").value(Double.NaN)
                .name("inf").value(Double.POSITIVE_INFINITY)
                .name("list").beginArray().value(1L).value("two").beginObject().endObject().endArray()
                .name("empty").beginArray().endArray()
                .endObject()
                .toString();
        assertThat(json).isEqualTo("{\"s\":\"v\",\"n\":42,\"d\":1.5,\"b\":true,\"none\":null,\"absent\":null,"
                + "\"nan\":null,\"inf\":null,\"list\":[1,\"two\",{}],\"empty\":[]}");
    }

    @Test
    void escapesMemberNames() {
        String json = new JsonWriter().beginObject().name("we\"ird\n").value(1L).endObject().toString();
        assertThat(json).isEqualTo("{\"we\\\"ird\\n\":1}");
    }

    @Test
    void refusesInvalidNesting() {
        assertThatThrownBy(() -> new JsonWriter().beginObject().value(1L)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().name("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().endArray()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().name("x").endObject()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().value(1L).value(2L)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().toString()).isInstanceOf(IllegalStateException.class);
    }
}
