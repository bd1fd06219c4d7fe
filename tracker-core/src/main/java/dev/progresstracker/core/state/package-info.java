/**
 * Run state and the projection that folds events into it; used by stores and by sinks that serve snapshots.
 */
package dev.progresstracker.core.state;
