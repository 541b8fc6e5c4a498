/*
 * A plain terminal table: a header row, a rule, then rows, each column padded to its widest cell
 * (numbers right-aligned, words left-aligned), two blanks between columns. Used by the text
 * report and the comparison so that both print alike.
 */
package dev.rehype.results;

import java.util.ArrayList;
import java.util.List;

/** Builds an aligned text table. */
final class TextTable {

    private final String[] header;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    /** A table with these column headers; {@code rightAligned[i]} says how column i aligns. */
    TextTable(List<String> header, boolean... rightAligned) {
        if (header.size() != rightAligned.length) {
            throw new IllegalArgumentException("one alignment per column");
        }
        this.header = header.toArray(String[]::new);
        this.rightAligned = rightAligned.clone();
    }

    /** Adds a row; it has one cell per column. */
    TextTable row(String... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("a row has " + header.length + " cells, got " + cells.length);
        }
        rows.add(cells.clone());
        return this;
    }

    /** The table, each line ending with a newline. */
    String render() {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        String[] rule = new String[header.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        line(out, rule, widths);
        rows.forEach(r -> line(out, r, widths));
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[i] - cells[i].length());
            line.append(rightAligned[i] ? pad + cells[i] : cells[i] + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
