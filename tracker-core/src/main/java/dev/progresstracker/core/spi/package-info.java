/**
 * What output modules implement: stores, sinks and the callback registry. Implementations prove themselves with the contract kits of {@code tracker-test}.
 */
package dev.progresstracker.core.spi;
