package dev.progresstracker.core.internal;

import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.state.RunState;
import java.util.Map;
import java.util.Optional;

/**
 * What building a tracker checks and loads before its engine starts: that the store holds the
 * largest event the limits let through, that the run's inputs are valid, and the run's model, new
 * or restored from the store (a resume). Stateless.
 */
public final class RunOpening {

    private RunOpening() {}

    /**
     * The largest event the limits allow must fit the store. Checked when a tracker or factory is
     * built, so that no event is accepted at the call and then refused by the store.
     */
    public static void requireFits(TrackerConfig config, ProgressStore store) {
        long worst = config.worstCaseEventBytes();
        if (worst > store.maxEventBytes()) {
            throw new IllegalArgumentException("the tracker's limits let through events of up to " + worst
                    + " bytes, but the store (" + store.getClass().getSimpleName() + ") accepts at most "
                    + store.maxEventBytes() + " bytes per event; lower TrackerConfig.maxMessageLength or the "
                    + "EventLimits (maxDetailsBytes first)");
        }
    }

    /**
     * The run's model: restored if {@code store} holds the run (its plan and cluster must then match
     * the given ones, where both are set), else new.
     *
     * @throws IllegalArgumentException naming the field, if an input is invalid or differs from the stored run
     */
    public static RunModel restoreOrCreate(
            ProgressStore store,
            String runId,
            String planId,
            String clusterName,
            Map<String, String> attributes,
            TrackerConfig config) {
        TrackerEngine.checkRunInputs(runId, planId, clusterName, attributes, config.limits());
        Optional<RunState> stored = store.loadRun(runId);
        if (stored.isEmpty()) {
            return new RunModel(runId, planId, clusterName, attributes);
        }
        RunState state = stored.get();
        requireSame(runId, "planId", planId, state.info().planId());
        requireSame(runId, "clusterName", clusterName, state.info().clusterName());
        RunModel model = RunModel.restore(state);
        model.adoptMissing(planId, clusterName, attributes);
        return model;
    }

    private static void requireSame(String runId, String field, String given, String stored) {
        if (given != null && stored != null && !given.equals(stored)) {
            throw new IllegalArgumentException("run '" + runId + "' is stored with " + field + " '" + stored
                    + "' but the builder says '" + given + "'");
        }
    }
}
