package dev.progresstracker.websocket.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.websocket.WebSocketConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads client messages and acts on them: {@code subscribe}, {@code unsubscribe}, {@code ping},
 * {@code getSummary}. Every bad message is answered with an {@code error} naming what was wrong and
 * changes nothing; the connection stays open. Unknown fields are ignored. Called on decoder threads.
 */
public final class RequestHandler {

    /** Client messages are flat; anything nested deeper is refused before it costs stack or memory. */
    private static final int MAX_NESTING = 8;

    private static final ObjectMapper READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build());
    private static final String ALL = "*";

    /** Resume points a client may name beyond its subscriptions (runs it follows through {@code "*"}). */
    private static final int EXTRA_RESUME_POINTS = 1024;

    private final Broker broker;
    private final WebSocketConfig config;
    private final ServerMetrics metrics;
    private final Clock clock;

    public RequestHandler(Broker broker, WebSocketConfig config, ServerMetrics metrics, Clock clock) {
        this.broker = broker;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Handles one text message of {@code s}. */
    public void onText(ClientSession s, String text) {
        JsonNode msg;
        try {
            msg = READER.readTree(text);
        } catch (JsonProcessingException e) {
            error(s, "BAD_JSON", "not valid JSON: " + clip(e.getOriginalMessage()));
            return;
        }
        if (msg == null || !msg.isObject()) {
            error(s, "BAD_REQUEST", "a message must be a JSON object with a 'type'");
            return;
        }
        JsonNode type = msg.get("type");
        if (type == null || !type.isTextual()) {
            error(s, "BAD_REQUEST", "field 'type' is missing or not a string");
            return;
        }
        try {
            switch (type.asText()) {
                case "subscribe" -> subscribe(s, msg);
                case "unsubscribe" -> unsubscribe(s, msg);
                case "ping" -> {
                    JsonNode id = msg.get("id");
                    broker.send(
                            s,
                            Messages.pong(id != null && id.isValueNode() ? clip(id.asText()) : null, clock.millis()));
                }
                case "getSummary" -> summary(s);
                default ->
                    error(
                            s,
                            "UNKNOWN_TYPE",
                            "unknown message type '" + clip(type.asText())
                                    + "'; expected subscribe, unsubscribe, ping or getSummary");
            }
        } catch (BadRequest e) {
            error(s, e.code, e.getMessage());
        }
    }

    /** The summary, and the runs it lists remembered for this client's next subscriptions (see {@link ListedRuns}). */
    private void summary(ClientSession s) {
        List<RunInfo> runs = broker.runInfos();
        s.listed(ListedRuns.of(runs.stream().map(RunInfo::runId).toList()));
        broker.send(s, Messages.summary(runs, broker.sessions().size()));
    }

    private void subscribe(ClientSession s, JsonNode msg) {
        List<String> ids = runIds(msg);
        boolean all = ids.remove(ALL);
        Map<String, Long> since = new LinkedHashMap<>();
        JsonNode single = msg.get("sinceSequence");
        if (single != null && !single.isNull()) {
            long v = sequence(single, "sinceSequence");
            if (ids.size() != 1 || all) {
                throw new BadRequest(
                        "BAD_REQUEST",
                        "'sinceSequence' needs exactly one 'runId'; use 'sinceSequences' "
                                + "{runId: sequence} for several runs or '*'");
            }
            since.put(ids.get(0), v);
        }
        JsonNode many = msg.get("sinceSequences");
        if (many != null && !many.isNull()) {
            if (!many.isObject()) {
                throw new BadRequest("BAD_REQUEST", "'sinceSequences' must be an object {runId: sequence}");
            }
            int limit = maxResumePoints(s);
            if (many.size() > limit) {
                throw new BadRequest(
                        "BAD_REQUEST",
                        "'sinceSequences' has " + many.size() + " entries; the limit is " + limit
                                + " on this connection (one per run its latest summary listed, at least "
                                + "maxSubscriptionsPerClient + " + EXTRA_RESUME_POINTS + ")");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = many.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                since.put(
                        validRunId(e.getKey(), "sinceSequences"),
                        sequence(e.getValue(), "sinceSequences." + clip(e.getKey())));
            }
        }
        int added = 0;
        for (String id : ids) {
            if (!s.isExplicit(id)) {
                added++;
            }
        }
        if (all && !s.subscribedToAll()) {
            added++;
        }
        if (s.subscriptionCount() + added > config.maxSubscriptionsPerClient()) {
            throw new BadRequest(
                    "TOO_MANY_SUBSCRIPTIONS",
                    "subscribing to " + added + " more run(s) would exceed the limit of "
                            + config.maxSubscriptionsPerClient() + " subscriptions per client (now "
                            + s.subscriptionCount() + ")");
        }
        Map<String, Long> named = new LinkedHashMap<>();
        for (String id : ids) {
            named.put(id, since.get(id));
        }
        broker.subscribe(s, named);
        if (all) {
            broker.subscribeAll(s, since);
        }
    }

    /**
     * How many resume points one {@code subscribe} may name: one per run of the client's latest
     * summary (it may resume every run it was told of), at least {@code maxSubscriptionsPerClient +}
     * {@value #EXTRA_RESUME_POINTS}. What a request names is held only while it is handled, and
     * {@code maxFrameBytes} bounds it.
     */
    private int maxResumePoints(ClientSession s) {
        return Math.max(
                config.maxSubscriptionsPerClient() + EXTRA_RESUME_POINTS,
                s.listedRuns().count());
    }

    private void unsubscribe(ClientSession s, JsonNode msg) {
        List<String> ids = runIds(msg);
        boolean all = ids.remove(ALL);
        broker.unsubscribe(s, ids, all);
    }

    /** {@code runId} (a string) or {@code runIds} (an array of strings), validated, without duplicates. */
    private List<String> runIds(JsonNode msg) {
        List<String> ids = new ArrayList<>();
        JsonNode one = msg.get("runId");
        JsonNode many = msg.get("runIds");
        if (one != null && !one.isNull()) {
            if (!one.isTextual()) {
                throw new BadRequest("BAD_REQUEST", "'runId' must be a string");
            }
            ids.add(one.asText().equals(ALL) ? ALL : validRunId(one.asText(), "runId"));
        }
        if (many != null && !many.isNull()) {
            if (!many.isArray()) {
                throw new BadRequest("BAD_REQUEST", "'runIds' must be an array of strings");
            }
            if (many.size() > config.maxSubscriptionsPerClient()) {
                throw new BadRequest(
                        "TOO_MANY_SUBSCRIPTIONS",
                        "'runIds' lists " + many.size() + " runs; the limit is " + config.maxSubscriptionsPerClient()
                                + " per client");
            }
            for (JsonNode n : many) {
                if (!n.isTextual()) {
                    throw new BadRequest("BAD_REQUEST", "'runIds' must contain only strings");
                }
                String id = n.asText().equals(ALL) ? ALL : validRunId(n.asText(), "runIds");
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        if (ids.isEmpty()) {
            throw new BadRequest("BAD_REQUEST", "give 'runId' (a run id or \"*\" for every run) or 'runIds'");
        }
        return ids;
    }

    private static String validRunId(String id, String field) {
        try {
            return RunIds.requireValidRunId(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("BAD_REQUEST", "'" + field + "': " + clip(e.getMessage()));
        }
    }

    private static long sequence(JsonNode n, String field) {
        if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
            throw new BadRequest("BAD_REQUEST", "'" + field + "' must be a whole number >= 0");
        }
        return n.asLong();
    }

    private void error(ClientSession s, String code, String message) {
        metrics.protocolErrors.increment();
        broker.send(s, Messages.error(code, message));
    }

    /** Echoed client text is cut short: an error must not amplify what a client sends. */
    private static String clip(String v) {
        if (v == null) {
            return "";
        }
        return v.length() <= 120 ? v : v.substring(0, 120) + "…";
    }

    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final String code;

        BadRequest(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
