package dev.progresstracker.core;

import dev.progresstracker.core.event.ProgressEvent;

/** Receives events on a callback thread, never on the caller's. May throw: that is logged and counted. */
@FunctionalInterface
public interface ProgressListener {
    void onEvent(ProgressEvent event) throws Exception;
}
