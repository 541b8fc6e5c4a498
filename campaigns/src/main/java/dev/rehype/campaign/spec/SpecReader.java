package dev.rehype.campaign.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into a {@link SpecNode} tree that remembers lines, with Jackson's streaming YAML
 * parser (its {@link JsonLocation}s give the lines). Syntax errors and duplicate keys are
 * {@link SpecException}s naming the line; what the keys mean is {@link SpecParser}'s business.
 */
public final class SpecReader {
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private SpecReader() {
    }

    /** Parses one YAML document; {@code source} names it in messages. */
    public static SpecNode read(String text, String source) throws SpecException {
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new SpecException(source, 1, "", "the spec is empty");
            }
            SpecNode root = node(p, source, "");
            if (p.nextToken() != null) {
                throw new SpecException(source, line(p), "", "more than one YAML document; a spec is one document");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new SpecException(source, at == null ? 1 : Math.max(1, at.getLineNr()), "",
                    "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("syntax error"));
        } catch (IOException e) {
            throw new SpecException(source, 1, "", "cannot be read: " + e.getMessage());
        }
    }

    private static int line(JsonParser p) {
        return Math.max(1, p.currentTokenLocation().getLineNr());
    }

    private static SpecNode node(JsonParser p, String source, String path) throws IOException, SpecException {
        JsonToken t = p.currentToken();
        int line = line(p);
        return switch (t) {
            case START_OBJECT -> {
                Map<String, SpecNode> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    String child = path.isEmpty() ? key : path + "." + key;
                    if (entries.containsKey(key)) {
                        throw new SpecException(source, keyLine, child, "given twice (first on line "
                                + keyLines.get(key) + ")");
                    }
                    p.nextToken();
                    keyLines.put(key, keyLine);
                    entries.put(key, node(p, source, child));
                }
                yield new SpecNode.MapNode(line, entries, keyLines);
            }
            case START_ARRAY -> {
                List<SpecNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, source, path + "[" + items.size() + "]"));
                }
                yield new SpecNode.ListNode(line, items);
            }
            case VALUE_STRING -> new SpecNode.Scalar(line, SpecNode.Scalar.Type.STRING, p.getText());
            case VALUE_NUMBER_INT -> new SpecNode.Scalar(line, SpecNode.Scalar.Type.INTEGER, p.getText());
            case VALUE_NUMBER_FLOAT -> new SpecNode.Scalar(line, SpecNode.Scalar.Type.FLOAT, p.getText());
            case VALUE_TRUE, VALUE_FALSE -> new SpecNode.Scalar(line, SpecNode.Scalar.Type.BOOLEAN, p.getText());
            case VALUE_NULL -> new SpecNode.Scalar(line, SpecNode.Scalar.Type.NULL, "");
            default -> throw new SpecException(source, line, path, "unexpected YAML element " + t);
        };
    }
}
