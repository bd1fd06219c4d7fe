package dev.progresstracker.eventbridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;

/** The EventBridge envelope a rule sees for an event, for event-ruler tests. */
final class RuleEnvelopes {

    private RuleEnvelopes() {}

    /**
     * The envelope of {@code e} as EventBridge delivers it to rules: source {@code eks-upgrade-agent},
     * {@code resources} holding {@code resource} (none if null), {@code detail} the wire JSON, with the
     * original tracker's snake_case fields if {@code originalFields}.
     */
    static String of(ProgressEvent e, String resource, boolean originalFields) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("version", "0");
        n.put("id", e.eventId().toString());
        n.put("detail-type", e.type().wireName());
        n.put("source", "eks-upgrade-agent");
        n.put("account", "123456789012");
        n.put("time", e.time().toString());
        n.put("region", "eu-west-1");
        var resources = n.putArray("resources");
        if (resource != null) {
            resources.add(resource);
        }
        try {
            n.set("detail", WireFormat.reader().readTree(WireFormat.toJson(e, originalFields)));
        } catch (JsonProcessingException ex) {
            throw new AssertionError("the wire JSON of " + e.type() + " #" + e.sequence() + " does not parse", ex);
        }
        return n.toString();
    }
}
