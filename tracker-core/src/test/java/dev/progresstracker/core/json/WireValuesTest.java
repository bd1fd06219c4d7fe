package dev.progresstracker.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.events.DetailType;
import dev.progresstracker.events.Severity;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Core's enumerated values and tracker-events' (the consumer library's wire contract) are the same
 * sets: every core value has its counterpart, and every library value but its UNKNOWN/CUSTOM stand-in
 * is one core can write.
 */
class WireValuesTest {

    private static <E extends Enum<E>> Set<String> names(Class<E> type, String... except) {
        Set<String> out = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.toSet());
        out.removeAll(List.of(except));
        return out;
    }

    @Test
    void runStatusesMatchBothWays() {
        for (RunStatus s : RunStatus.values()) {
            assertThat(WireValues.of(s).name()).isEqualTo(s.name());
        }
        assertThat(names(dev.progresstracker.events.RunStatus.class, "UNKNOWN")).isEqualTo(names(RunStatus.class));
    }

    @Test
    void taskStatusesMatchBothWays() {
        for (TaskStatus s : TaskStatus.values()) {
            assertThat(WireValues.of(s).name()).isEqualTo(s.name());
        }
        assertThat(names(dev.progresstracker.events.TaskStatus.class, "UNKNOWN"))
                .isEqualTo(names(TaskStatus.class));
    }

    @Test
    void severitiesMatchBothWays() {
        for (Alert.Severity s : Alert.Severity.values()) {
            assertThat(WireValues.of(s).name()).isEqualTo(s.name());
        }
        assertThat(names(Severity.class, "UNKNOWN")).isEqualTo(names(Alert.Severity.class));
    }

    @Test
    void builtInTaskTypesMatchBothWaysAndCustomOnesAreCustom() {
        List<TaskType> builtIn = List.of(
                TaskType.UPGRADE_PLAN, TaskType.UPGRADE_STEP, TaskType.VALIDATION, TaskType.ROLLBACK, TaskType.CLEANUP);
        for (TaskType t : builtIn) {
            assertThat(WireValues.of(t).name()).isEqualTo(t.name());
        }
        assertThat(names(dev.progresstracker.events.TaskType.class, "CUSTOM"))
                .isEqualTo(builtIn.stream().map(TaskType::name).collect(Collectors.toSet()));
        assertThat(WireValues.of(TaskType.of("DRAIN_NODES"))).isEqualTo(dev.progresstracker.events.TaskType.CUSTOM);
    }

    @Test
    void eventTypesAreExactlyTheDetailTypesWithTheirNames() {
        Set<DetailType> mapped = EnumSet.noneOf(DetailType.class);
        for (EventType t : EventType.values()) {
            assertThat(t.wireName()).isEqualTo(WireValues.of(t).wireName());
            assertThat(EventType.fromWireName(t.wireName())).isEqualTo(t);
            mapped.add(WireValues.of(t));
        }
        assertThat(mapped).containsExactlyInAnyOrder(DetailType.values());
    }

    @Test
    void theOriginalFieldsAreTheLibrarysList() {
        for (EventType t : EventType.values()) {
            assertThat(OriginalFields.BY_TYPE.getOrDefault(t, List.of()))
                    .as(t.wireName())
                    .isEqualTo(t.detailType().originalFields());
            assertThat(OriginalFields.appliesTo(t)).isEqualTo(t.detailType().isOriginal());
        }
        assertThat(OriginalFields.BY_TYPE).hasSize(7);
    }
}
