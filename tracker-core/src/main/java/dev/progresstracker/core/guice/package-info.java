/**
 * Guice wiring. The only package of core that uses Guice; everything also works without it.
 */
package dev.progresstracker.core.guice;
