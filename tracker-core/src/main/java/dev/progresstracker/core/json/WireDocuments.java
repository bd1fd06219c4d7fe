package dev.progresstracker.core.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How {@link WireFormat}'s readers run the one decoder over a whole document (text or bytes: syntax
 * and trailing tokens checked) or over a tree the caller already holds.
 */
final class WireDocuments {

    private WireDocuments() {}

    interface ParserSource {
        JsonParser open() throws IOException;
    }

    interface Collector<T> {
        WireStreamReader.Fields<T> collect(JsonParser p) throws IOException;
    }

    interface ParserRead<T> {
        T read(JsonParser p) throws IOException;
    }

    /** Syntax errors and trailing tokens are reported before any field check. */
    static <T> T readDocument(String what, ParserSource source, Collector<T> collector) {
        WireStreamReader.Fields<T> fields;
        try (JsonParser p = source.open()) {
            if (p.nextToken() == null) {
                throw new JsonParseException(p, "no content");
            }
            fields = collector.collect(p);
            WireStreamReader.requireEnd(p);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(what + " is not valid JSON: " + why, e);
        }
        return fields.build();
    }

    static <T> T fromTree(JsonNode n, ParserRead<T> read) {
        try (JsonParser p = WireFormat.MAPPER.treeAsTokens(n == null ? NullNode.getInstance() : n)) {
            return read.read(p);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a JSON tree", e); // a tree holds no I/O or syntax to fail on
        }
    }
}
