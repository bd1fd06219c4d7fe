/**
 * The one JSON mapping of events and run state (the wire format of EventBridge, WebSocket and the journal).
 */
package dev.progresstracker.core.json;
