package dev.progresstracker.callbacks.internal;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where listener invocations run. The manager's own pool grows by one thread for every call that
 * was abandoned while still running and shrinks back when it returns, so a hung listener never
 * takes threads away from the others. An injected executor is used as is.
 */
public abstract class DrainExecutor implements Executor {

    /** A call was abandoned but its thread is still inside the listener. */
    public void threadStuck() {}

    /** A previously stuck call returned. */
    public void threadReleased() {}

    /** Stops the executor if the manager owns it, interrupting what still runs. */
    public void shutdownNow() {}

    public static DrainExecutor owned(String name, int threads) {
        return new Owned(name, threads);
    }

    public static DrainExecutor foreign(Executor executor) {
        Objects.requireNonNull(executor, "executor must not be null");
        return new DrainExecutor() {
            @Override
            public void execute(Runnable command) {
                executor.execute(command);
            }
        };
    }

    private static final class Owned extends DrainExecutor {
        private static final Logger LOG = LoggerFactory.getLogger(Owned.class);
        private final ThreadPoolExecutor pool;

        Owned(String name, int threads) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "tracker-" + name + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), tf);
        }

        @Override
        public void execute(Runnable command) {
            pool.execute(command);
        }

        @Override
        public synchronized void threadStuck() {
            // Raise the maximum first: the core size may never exceed it.
            pool.setMaximumPoolSize(pool.getMaximumPoolSize() + 1);
            pool.setCorePoolSize(pool.getCorePoolSize() + 1);
            LOG.debug("callback pool grown to {} threads to replace a stuck one", pool.getCorePoolSize());
        }

        @Override
        public synchronized void threadReleased() {
            pool.setCorePoolSize(pool.getCorePoolSize() - 1);
            pool.setMaximumPoolSize(pool.getMaximumPoolSize() - 1);
        }

        @Override
        public void shutdownNow() {
            pool.shutdownNow();
        }
    }
}
