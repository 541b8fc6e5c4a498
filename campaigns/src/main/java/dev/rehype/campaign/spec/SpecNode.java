package dev.rehype.campaign.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a campaign spec as read from YAML, with the line it starts on, so that every error
 * found while binding it to a {@link CampaignSpec} can name the field and the line. Maps keep
 * their keys in file order.
 */
public sealed interface SpecNode {
    /** 1-based line of the node's first character in the spec file. */
    int line();

    /** A short name of the node's kind for messages ("a map", "a list", "a number", ...). */
    String kind();

    /** A mapping of keys to nodes; {@code keyLines} gives each key's own line. */
    record MapNode(int line, Map<String, SpecNode> entries, Map<String, Integer> keyLines) implements SpecNode {
        public MapNode {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyLines));
        }

        @Override
        public String kind() {
            return "a map";
        }
    }

    /** A sequence of nodes. */
    record ListNode(int line, List<SpecNode> items) implements SpecNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar: {@code type} says how YAML typed it; {@code text} is its text as written.
     */
    record Scalar(int line, Type type, String text) implements SpecNode {
        /** The YAML type of a scalar. */
        public enum Type { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

        @Override
        public String kind() {
            return switch (type) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case FLOAT -> "a decimal number";
                case BOOLEAN -> "a boolean";
                case NULL -> "nothing (null)";
            };
        }
    }
}
