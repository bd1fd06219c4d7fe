package dev.progresstracker.dynamodb;

import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.dynamodb.internal.Async;
import dev.progresstracker.dynamodb.internal.BatchWriter;
import dev.progresstracker.dynamodb.internal.ItemCodec;
import dev.progresstracker.dynamodb.internal.RunReader;
import dev.progresstracker.dynamodb.internal.RunWriter;
import dev.progresstracker.dynamodb.internal.TableLayout;
import dev.progresstracker.dynamodb.internal.WriteStats;
import dev.progresstracker.dynamodb.internal.WriterContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * A {@link ProgressStore} on one DynamoDB table shared by a fleet of agents: every run of every
 * host in one place, readable by any process (a dashboard lists and follows them all).
 *
 * <p>Guarantees: an event's stage completes once DynamoDB has it. Sequence numbers are claimed
 * with conditional writes, so two writers of one run never both store sequence N: the loser gets
 * a {@link SequenceConflictException} and stores nothing more. A retried write whose response was
 * lost is recognised by its eventId and not repeated. {@code task.progress} events are coalesced
 * per task for {@link DynamoDbStoreConfig#progressCoalesceInterval()} (lifecycle events are
 * written at once); a coalesced event's sequence has no event item, so {@link #eventsSince} returns
 * the contiguous events up to it and then empty, sending the reader to {@link #loadRun}. A run
 * state too large for one item is split over chunk items that the commit switches to atomically.
 *
 * <p>Every stage ends: retries are bounded by {@link DynamoDbStoreConfig#writeAttemptTimeout()} per
 * attempt and {@link DynamoDbStoreConfig#writeTimeout()} per write, after which the write's events
 * fail naming the cause and the run is refused ({@link #health}); {@link #close()} fails what is still
 * unconfirmed after {@link DynamoDbStoreConfig#closeTimeout()}.
 *
 * <p>Threading: {@link #append} follows the SPI (one store thread, sequence order per run) and
 * never waits for the network except once per run, to read where the table left it. Reads block
 * and are safe from any thread. The client is the caller's: {@link #close()} leaves it open unless
 * the builder was told {@link Builder#ownsClient(boolean) ownsClient(true)}.
 */
public final class DynamoDbProgressStore implements ProgressStore {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbProgressStore.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final DynamoDbStoreConfig config;
    private final RunReader reader;
    private final WriterContext shared;
    private final ScheduledThreadPoolExecutor scheduler;
    private final WriteStats stats = new WriteStats();
    private final String where;
    private final ConcurrentHashMap<String, RunWriter> writers = new ConcurrentHashMap<>();
    private final DynamoDbAsyncClient client;
    private final boolean ownsClient;
    private volatile boolean closed;

    private DynamoDbProgressStore(DynamoDbAsyncClient client, DynamoDbStoreConfig config, boolean ownsClient) {
        this.config = config;
        this.client = client;
        this.ownsClient = ownsClient;
        int id = INSTANCES.incrementAndGet();
        this.scheduler = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "dynamodb-store-" + id);
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.where = describeTable(client, config.tableName());
        this.reader = new RunReader(client, config, stats);
        this.shared = new WriterContext(
                client,
                config.tableName(),
                where,
                config,
                new ItemCodec(config.maxItemBytes()),
                reader,
                new BatchWriter(client, config.tableName(), config, stats),
                scheduler,
                stats);
        long watchMillis = Math.max(10, Math.min(1000, config.retryWarnAfter().toMillis() / 2));
        scheduler.scheduleWithFixedDelay(
                () -> writers.values().forEach(RunWriter::watch), watchMillis, watchMillis, TimeUnit.MILLISECONDS);
    }

    /** "DynamoDB table 't' (region r, endpoint e)": where this store writes, for messages. */
    private static String describeTable(DynamoDbAsyncClient client, String table) {
        String region = "?";
        String endpoint = "the region's default";
        try {
            var c = client.serviceClientConfiguration();
            region = String.valueOf(c.region());
            endpoint = c.endpointOverride().map(Object::toString).orElse(endpoint);
        } catch (RuntimeException | LinkageError e) {
            // A client without a readable configuration (a test double): the table name alone must do.
        }
        return "DynamoDB table '" + table + "' (region " + region + ", endpoint " + endpoint + ")";
    }

    /** Runs a read, turning a missing table into a message that names it. */
    private <T> T read(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ResourceNotFoundException e) {
            throw missingTable(e);
        }
    }

    private IllegalStateException missingTable(Throwable e) {
        return new IllegalStateException(
                where + " does not exist or is not active: create it (see the module README "
                        + "for its CloudFormation) or call DynamoDbProgressStore.createTableIfMissing in development ("
                        + e.getMessage() + ")",
                e);
    }

    /** A builder; {@link Builder#client} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates {@code tableName} with this store's layout (on-demand billing, the two run indexes,
     * TTL on {@code expiresAt}) unless it exists, and waits until it is active. For development and
     * tests; production tables come from the CloudFormation template in the README.
     *
     * @return true if this call created the table
     * @throws IllegalStateException if the table exists with another key schema or without the run
     *                               indexes (naming the expected and the actual layout)
     */
    public static boolean createTableIfMissing(DynamoDbAsyncClient client, String tableName) {
        Objects.requireNonNull(client, "client must not be null");
        DynamoDbStoreConfig.builder().tableName(tableName).build();
        return TableLayout.createTableIfMissing(client, tableName, Duration.ofMinutes(2));
    }

    public String tableName() {
        return config.tableName();
    }

    public DynamoDbStoreConfig config() {
        return config;
    }

    /**
     * The largest event wire JSON stored without trimming: {@code maxItemBytes} less 512 bytes for the
     * item's keys and attributes (349,488 by default). Larger events lose their task details.
     */
    @Override
    public int maxEventBytes() {
        return shared.codec().maxEventBytes();
    }

    /**
     * How the run's writes stand, without blocking: REFUSING after a failed write, a conflict with
     * another writer, when the state nears {@code maxRunStateBytes}, or once the store is closed;
     * RETRYING while a write fails or stays unanswered longer than {@code retryWarnAfter}.
     */
    @Override
    public StoreHealth health(String runId) {
        if (closed) {
            return StoreHealth.refusing("the DynamoDB store of " + where + " is closed", null, 0, 0);
        }
        RunWriter w = writers.get(runId);
        return w == null ? StoreHealth.WRITING : w.health();
    }

    /** Counters of this store's writes so far. */
    public DynamoDbStoreStats stats() {
        return stats.totals();
    }

    @Override
    public CompletionStage<Void> append(ProgressEvent event) {
        Objects.requireNonNull(event, "event must not be null");
        String runId = RunIds.requireValidRunId(event.runId());
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the DynamoDB store is closed"));
        }
        stats.countAppend();
        RunWriter writer = writers.get(runId);
        if (writer != null && writer.resumesAt(event.sequence())) {
            writers.remove(runId, writer); // a new tracker continues the committed head: a new writer takes over
        }
        try {
            writer = writers.computeIfAbsent(runId, id -> RunWriter.open(id, shared));
        } catch (RuntimeException e) {
            Throwable cause = Async.unwrap(e);
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "run '" + runId + "': event #"
                            + event.sequence() + " was not stored: reading where the run stands in " + where
                            + " failed: "
                            + Async.describe(cause),
                    cause));
        }
        return writer.append(event);
    }

    /**
     * The run's committed state. Also where a new tracker starts: when this store gave up on the
     * run's writes (not when it lost the run to another writer), the event that continues the head
     * returned here starts a new writer, and the run reads WRITING again; any other event (an old
     * tracker's) still fails with the original cause.
     */
    @Override
    public Optional<RunState> loadRun(String runId) {
        RunIds.requireValidRunId(runId);
        RunReader.Loaded loaded = read(() -> reader.load(runId));
        RunWriter w = writers.get(runId);
        if (w != null) {
            w.loaded(loaded == null ? 0 : loaded.state().lastSequence());
        }
        return loaded == null ? Optional.empty() : Optional.of(loaded.state());
    }

    /** Every run in the table, from every writer, newest update first. */
    @Override
    public List<RunInfo> listRuns() {
        return read(reader::listRuns);
    }

    /** Runs of one cluster (through the {@code runs-by-cluster} index), newest update first. */
    public List<RunInfo> listRunsByCluster(String clusterName) {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("clusterName must not be blank");
        }
        return read(() -> reader.listRunsByCluster(clusterName));
    }

    /** Runs in one status (through the {@code runs-by-status} index), newest update first. */
    public List<RunInfo> listRunsByStatus(RunStatus status) {
        Objects.requireNonNull(status, "status must not be null");
        return read(() -> reader.listRunsByStatus(status));
    }

    @Override
    public Optional<List<ProgressEvent>> eventsSince(String runId, long afterSequence, int maxEvents) {
        RunIds.requireValidRunId(runId);
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must not be negative, got " + maxEvents);
        }
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative, got " + afterSequence);
        }
        return read(() -> reader.eventsSince(runId, afterSequence, maxEvents));
    }

    /** Committed events after {@code afterSequence}, in order, skipping sequences coalescing left empty. */
    List<ProgressEvent> committedEventsAfter(String runId, long afterSequence, int maxEvents) {
        return read(() -> reader.committedEventsAfter(runId, afterSequence, maxEvents));
    }

    @Override
    public boolean deleteRun(String runId) {
        RunIds.requireValidRunId(runId);
        RunWriter writer = writers.remove(runId);
        if (writer != null) {
            writer.retire("it was deleted through this store");
        }
        return read(() -> reader.deleteRun(runId));
    }

    /**
     * Writes everything appended so far (coalescing deadlines are not waited for) within
     * {@code closeTimeout}; what is still unconfirmed then fails with an exception naming the run, the
     * sequences and the last problem, so no stage stays pending.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> drains = new ArrayList<>();
        writers.values().forEach(w -> drains.add(w.drain()));
        try {
            CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
                    .get(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            failUnconfirmed("within closeTimeout " + config.closeTimeout() + " when the store closed");
        } catch (ExecutionException e) {
            LOG.warn(
                    "DynamoDB store closed after failed writes: {}",
                    Async.unwrap(e).toString());
        } catch (InterruptedException e) {
            failUnconfirmed("before the thread closing the store was interrupted");
            Thread.currentThread().interrupt();
        } finally {
            // Let what is already due run (deletes of replaced state chunks), not delayed retries.
            scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler.shutdownNow();
            if (ownsClient) {
                client.close();
            }
        }
    }

    private void failUnconfirmed(String why) {
        int failed = 0;
        for (RunWriter w : writers.values()) {
            failed += w.abandon(why);
        }
        stats.countFailedOnClose(failed);
        LOG.warn("DynamoDB store closed: {} event(s) not confirmed by {} {} were failed", failed, where, why);
    }

    /** Builds a {@link DynamoDbProgressStore}. Not thread-safe. */
    public static final class Builder {
        private DynamoDbAsyncClient client;
        private DynamoDbStoreConfig config = DynamoDbStoreConfig.defaults();
        private String tableName;
        private boolean ownsClient;

        private Builder() {}

        /** The client to use (required); closed with the store only if {@link #ownsClient(boolean)}. */
        public Builder client(DynamoDbAsyncClient client) {
            this.client = Objects.requireNonNull(client, "client must not be null");
            return this;
        }

        /** Overrides {@link DynamoDbStoreConfig#tableName()}. */
        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

        /** Whether {@link #close()} also closes the client; default false. */
        public Builder ownsClient(boolean ownsClient) {
            this.ownsClient = ownsClient;
            return this;
        }

        public Builder config(DynamoDbStoreConfig config) {
            this.config = Objects.requireNonNull(config, "config must not be null");
            return this;
        }

        public DynamoDbProgressStore build() {
            if (client == null) {
                throw new IllegalStateException("client is required: DynamoDbProgressStore.builder().client(...)");
            }
            DynamoDbStoreConfig c = tableName == null
                    ? config
                    : config.toBuilder().tableName(tableName).build();
            return new DynamoDbProgressStore(client, c, ownsClient);
        }
    }
}
