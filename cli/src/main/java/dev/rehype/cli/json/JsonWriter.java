/*
 * A tiny streaming JSON writer for the command line's machine-readable output (`--json`). It
 * writes compact JSON (no blanks), escapes strings as RFC 8259 requires, writes non-finite
 * doubles as null (JSON has no NaN), and checks the nesting so that a misuse fails fast instead
 * of printing invalid JSON. No JSON library is in the build; this is all the CLI needs.
 */
package dev.rehype.cli.json;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;

/** Builds one JSON text; call {@link #toString()} when the outermost value is complete. */
public final class JsonWriter {

    private enum Scope { OBJECT, ARRAY }

    private final StringBuilder out = new StringBuilder();
    private final Deque<Scope> scopes = new ArrayDeque<>();
    /** Whether the current object or array already holds a member (so the next one needs a comma). */
    private boolean needsComma;
    /** Whether a name was written and its value is still due. */
    private boolean nameWritten;
    private boolean complete;

    /** Starts an object, as a value of the current scope. */
    public JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        scopes.push(Scope.OBJECT);
        nameWritten = false;
        needsComma = false;
        return this;
    }

    /** Ends the object started last. */
    public JsonWriter endObject() {
        return end(Scope.OBJECT, '}');
    }

    /** Starts an array, as a value of the current scope. */
    public JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        scopes.push(Scope.ARRAY);
        nameWritten = false;
        needsComma = false;
        return this;
    }

    /** Ends the array started last. */
    public JsonWriter endArray() {
        return end(Scope.ARRAY, ']');
    }

    /** Writes a member name inside an object; its value must follow. */
    public JsonWriter name(String name) {
        Objects.requireNonNull(name, "name");
        if (scopes.peek() != Scope.OBJECT || nameWritten) {
            throw new IllegalStateException("a name is only allowed inside an object, before its value");
        }
        if (needsComma) {
            out.append(',');
        }
        appendString(name);
        out.append(':');
        nameWritten = true;
        return this;
    }

    /** Writes a string value, or null. */
    public JsonWriter value(String value) {
        beforeValue();
        if (value == null) {
            out.append("null");
        } else {
            appendString(value);
        }
        afterValue();
        return this;
    }

    /** Writes an integer value. */
    public JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        afterValue();
        return this;
    }

    /** Writes a number; NaN and infinities become null. */
    public JsonWriter value(double value) {
        beforeValue();
        if (Double.isFinite(value)) {
            out.append(value);
        } else {
            out.append("null");
        }
        afterValue();
        return this;
    }

    /** Writes a boolean value. */
    public JsonWriter value(boolean value) {
        beforeValue();
        out.append(value);
        afterValue();
        return this;
    }

    /** Writes a number, or null when it is absent. */
    public JsonWriter value(Double value) {
        return value == null ? nullValue() : value(value.doubleValue());
    }

    /** Writes an integer, or null when it is absent. */
    public JsonWriter value(Long value) {
        return value == null ? nullValue() : value(value.longValue());
    }

    /** Writes null. */
    public JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        afterValue();
        return this;
    }

    /** Returns the JSON text; fails if an object or array is still open. */
    @Override
    public String toString() {
        if (!complete) {
            throw new IllegalStateException("the JSON value is not complete");
        }
        return out.toString();
    }

    /** Returns {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        JsonWriter w = new JsonWriter();
        w.value(s);
        return w.toString();
    }

    private JsonWriter end(Scope scope, char closer) {
        if (scopes.peek() != scope || nameWritten) {
            throw new IllegalStateException("no open " + scope.name().toLowerCase(Locale.ROOT) + " to end here");
        }
        scopes.pop();
        out.append(closer);
        afterValue();
        return this;
    }

    private void beforeValue() {
        if (complete) {
            throw new IllegalStateException("the JSON value is already complete");
        }
        Scope scope = scopes.peek();
        if (scope == Scope.OBJECT && !nameWritten) {
            throw new IllegalStateException("a value inside an object needs a name first");
        }
        if (scope == Scope.ARRAY && needsComma) {
            out.append(',');
        }
    }

    private void afterValue() {
        nameWritten = false;
        needsComma = true;
        if (scopes.isEmpty()) {
            complete = true;
        }
    }

    private void appendString(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Control characters must be escaped; U+2028/2029 are escaped too so that the
                    // output is also valid JavaScript; lone surrogates are kept as escapes.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || isLoneSurrogate(s, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
