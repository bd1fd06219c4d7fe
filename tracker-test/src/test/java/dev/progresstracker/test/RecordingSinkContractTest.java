package dev.progresstracker.test;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import java.util.List;

class RecordingSinkContractTest extends EventSinkContract {
    @Override
    protected EventSink createSink() {
        return new RecordingSink();
    }

    @Override
    protected List<ProgressEvent> delivered(EventSink sink) {
        return ((RecordingSink) sink).events();
    }
}
