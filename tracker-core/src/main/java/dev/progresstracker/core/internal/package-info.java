/**
 * Implementation details: the engine, the run model and the dispatcher. Not API; may change without notice.
 */
package dev.progresstracker.core.internal;
