package dev.progresstracker.core.json;

import static dev.progresstracker.core.json.WireStreamReader.instant;
import static dev.progresstracker.core.json.WireStreamReader.number;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.EtaFactors;
import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.TaskView;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * The wire JSON of a task's stage and usage and of an ETA's completion time and factors: written
 * only when present, so events without them are as before; read from plain maps, which both the
 * tree and the streaming reader hand over, so that one decoder serves both.
 */
final class MeasureJson {

    private MeasureJson() {}

    static void writeTaskMeasures(JsonGenerator g, TaskView t) throws IOException {
        if (t.stage() != null) {
            g.writeStringField("stage", t.stage());
            g.writeNumberField("stageProgress", t.stageProgress());
        }
        TaskUsage u = t.usage();
        if (!u.isEmpty()) {
            g.writeObjectFieldStart("usage");
            g.writeNumberField("apiCalls", u.apiCalls());
            g.writeNumberField("apiCallsFailed", u.apiCallsFailed());
            g.writeNumberField("apiLatencyMs", u.apiLatencyMillis());
            g.writeNumberField("rateLimitHits", u.rateLimitHits());
            g.writeNumberField("rateLimitDelayMs", u.rateLimitDelayMillis());
            g.writeNumberField("tokensIn", u.tokensIn());
            g.writeNumberField("tokensOut", u.tokensOut());
            g.writeNumberField("cost", u.cost());
            if (u.currency() != null) {
                g.writeStringField("currency", u.currency());
            }
            if (u.quality() != null) {
                g.writeNumberField("quality", u.quality());
            }
            g.writeEndObject();
        }
    }

    static void writeEtaMeasures(JsonGenerator g, Eta eta) throws IOException {
        if (eta.estimatedCompletion() != null) {
            g.writeStringField("estimatedCompletion", eta.estimatedCompletion().toString());
        }
        EtaFactors f = eta.factors();
        if (f != null) {
            g.writeObjectFieldStart("factors");
            g.writeNumberField("currentThroughput", f.currentThroughput());
            g.writeNumberField("averageThroughput", f.averageThroughput());
            g.writeNumberField("rateLimitImpact", f.rateLimitImpact());
            g.writeNumberField("complexityFactor", f.complexityFactor());
            if (f.historicalAccuracy() != null) {
                g.writeNumberField("historicalAccuracy", f.historicalAccuracy());
            }
            g.writeEndObject();
        }
    }

    /** The {@code usage} block as a map (null: none). */
    static TaskUsage usage(Map<String, Object> m) {
        if (m == null || m.isEmpty()) {
            return TaskUsage.NONE;
        }
        Object quality = val(m, "quality");
        Object currency = val(m, "currency");
        long apiCalls = count(m, "apiCalls");
        long apiCallsFailed = count(m, "apiCallsFailed");
        long latency = count(m, "apiLatencyMs");
        long hits = count(m, "rateLimitHits");
        long delay = count(m, "rateLimitDelayMs");
        long tokensIn = count(m, "tokensIn");
        long tokensOut = count(m, "tokensOut");
        double cost = number(val(m, "cost"), "cost", "task.usage", 0.0);
        Double q = quality == null ? null : number(quality, "quality", "task.usage", 0.0);
        try {
            return new TaskUsage(
                    apiCalls,
                    apiCallsFailed,
                    latency,
                    hits,
                    delay,
                    tokensIn,
                    tokensOut,
                    cost,
                    currency instanceof String c ? c : null,
                    q);
        } catch (IllegalArgumentException e) {
            // The values are each numbers, but together not a usage (negative, failed above total, quality above 1).
            throw new IllegalArgumentException("task field 'usage' is not a valid usage: " + e.getMessage(), e);
        }
    }

    /** The ETA with the completion time and {@code factors} block read, when present. */
    static Eta withMeasures(Eta eta, Object estimatedCompletion, Map<String, Object> f) {
        Instant completion = instant(estimatedCompletion, "estimatedCompletion", "eta", false);
        if (completion == null && f == null) {
            return eta;
        }
        EtaFactors factors = f == null ? null : factors(f);
        return new Eta(eta.seconds(), eta.low(), eta.high(), eta.confidence(), eta.method(), completion, factors);
    }

    private static EtaFactors factors(Map<String, Object> f) {
        double current = number(val(f, "currentThroughput"), "currentThroughput", "eta.factors", 0.0);
        double average = number(val(f, "averageThroughput"), "averageThroughput", "eta.factors", 0.0);
        double rateLimit = number(val(f, "rateLimitImpact"), "rateLimitImpact", "eta.factors", 0.0);
        double complexity = number(val(f, "complexityFactor"), "complexityFactor", "eta.factors", 1.0);
        Double accuracy = val(f, "historicalAccuracy") == null
                ? null
                : number(val(f, "historicalAccuracy"), "historicalAccuracy", "eta.factors", 0.0);
        try {
            return new EtaFactors(current, average, rateLimit, complexity, accuracy);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("eta field 'factors' is not valid: " + e.getMessage(), e);
        }
    }

    private static long count(Map<String, Object> m, String field) {
        return (long) number(val(m, field), field, "task.usage", 0.0);
    }

    /** A field's value as the stream reader's scalar readers take it: numbers and strings as they are, others as nodes. */
    private static Object val(Map<String, Object> m, String field) {
        Object v = m.get(field);
        return v == null || v instanceof Number || v instanceof String ? v : WireFormat.valueToTree(v);
    }
}
