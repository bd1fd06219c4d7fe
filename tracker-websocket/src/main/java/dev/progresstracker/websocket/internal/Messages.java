package dev.progresstracker.websocket.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;

/**
 * Encodes the server's messages of protocol version {@value #PROTOCOL_VERSION}. Run and event
 * JSON is always {@link WireFormat}'s: this class only wraps it.
 */
public final class Messages {

    public static final int PROTOCOL_VERSION = 1;
    /** Subprotocol the server selects when a client offers it (browsers that send a token need one). */
    public static final String SUBPROTOCOL = "progress-tracker.v1";

    private Messages() {}

    /** {@code {"type":"event","event":{…wire JSON…}}}; progress events carry a conflation key. */
    public static Outbound event(ProgressEvent e) {
        String json = "{\"type\":\"event\",\"event\":" + WireFormat.toJson(e) + "}";
        String key = !e.type().isLifecycle() ? e.runId() + '\u0000' + ((TaskEvent) e).taskId() : null;
        return new Outbound(Outbound.textFrame(json), key, e.runId(), e.sequence(), false, e);
    }

    /** {@code {"type":"snapshot","runId":…,"sequence":n,"run":{…},"tasks":[…],"alerts":[…]}}. */
    public static Outbound snapshot(RunState state) {
        String json = write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "snapshot");
            g.writeStringField("runId", state.runId());
            g.writeNumberField("sequence", state.lastSequence());
            g.writeFieldName("run");
            WireFormat.writeRunInfo(g, state.info());
            g.writeArrayFieldStart("tasks");
            for (TaskView t : state.tasks()) {
                WireFormat.writeTask(g, t);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("alerts");
            for (Alert a : state.activeAlerts()) {
                WireFormat.writeAlert(g, a);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        return new Outbound(Outbound.textFrame(json), null, state.runId(), state.lastSequence(), true);
    }

    public static Outbound hello(String serverVersion, boolean authenticated, int maxSubscriptions, int maxFrameBytes) {
        return Outbound.control(write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "hello");
            g.writeStringField("serverVersion", serverVersion);
            g.writeNumberField("protocolVersion", PROTOCOL_VERSION);
            g.writeBooleanField("authenticated", authenticated);
            g.writeNumberField("maxSubscriptions", maxSubscriptions);
            g.writeNumberField("maxFrameBytes", maxFrameBytes);
            g.writeEndObject();
        }));
    }

    /** {@code {"type":"pong","time":…}}, echoing the ping's {@code id} when it had a scalar one. */
    public static Outbound pong(String id, long epochMillis) {
        return Outbound.control(write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "pong");
            if (id != null) {
                g.writeStringField("id", id);
            }
            g.writeNumberField("time", epochMillis);
            g.writeEndObject();
        }));
    }

    public static Outbound error(String code, String message) {
        return Outbound.control(write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeEndObject();
        }));
    }

    /** {@code {"type":"summary","connections":n,"runs":[…run info…]}}. */
    public static Outbound summary(Collection<RunInfo> runs, int connections) {
        return Outbound.control(write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "summary");
            g.writeNumberField("connections", connections);
            g.writeArrayFieldStart("runs");
            for (RunInfo r : runs) {
                WireFormat.writeRunInfo(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = WireFormat.writer().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
