/** Implementation details of the journal (frames, segments, recovery); not for use outside tracker-journal. */
package dev.progresstracker.journal.internal;
