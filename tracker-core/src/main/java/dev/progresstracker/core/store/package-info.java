/**
 * The in-memory store, the default when storage is switched off.
 */
package dev.progresstracker.core.store;
