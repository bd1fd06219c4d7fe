package dev.progresstracker.eventbridge;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.progresstracker.eventbridge.internal.Publisher;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Records what the publisher logs at ERROR, for "one clear ERROR per cause" checks. */
final class LogCapture implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger(Publisher.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.start();
        logger.addAppender(appender);
    }

    /** ERROR messages (formatted) logged so far. */
    List<String> errors() {
        synchronized (appender.list) {
            return appender.list.stream()
                    .filter(e -> e.getLevel() == Level.ERROR)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
