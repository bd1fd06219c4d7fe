package dev.progresstracker.analytics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;

/**
 * The agent JVM's own resource pressure, read by the {@value AlertRules#RESOURCE_PRESSURE} rule.
 * {@link #jvm()} reads the JMX beans Micrometer's {@code JvmHeapPressureMetrics} and
 * {@code ProcessorMetrics} read; tests pass their own. Implementations must be thread-safe and
 * cheap (the rule asks on every run-level evaluation, not per task event).
 */
public interface ResourceProbe {

    /** Heap in use after the last collection over the maximum heap, in 0..1; NaN when unknown. */
    double heapAfterGc();

    /** The process's recent CPU load over all cores, in 0..1; NaN when unknown. */
    double processCpu();

    /** A probe that knows nothing (the rule stays silent). */
    static ResourceProbe none() {
        return Fixed.NONE;
    }

    /** A probe returning fixed values, for tests and callers that measure elsewhere. */
    static ResourceProbe of(double heapAfterGc, double processCpu) {
        return new Fixed(heapAfterGc, processCpu);
    }

    /**
     * This JVM: heap after GC = the heap long-lived pools' usage after their last collection
     * ({@code MemoryPoolMXBean.getCollectionUsage()}, summed) over their summed maximum;
     * process CPU = {@code com.sun.management.OperatingSystemMXBean.getProcessCpuLoad()} where the
     * JVM has it.
     */
    static ResourceProbe jvm() {
        return Jvm.INSTANCE;
    }

    /** Fixed values. */
    record Fixed(double heapAfterGc, double processCpu) implements ResourceProbe {
        static final Fixed NONE = new Fixed(Double.NaN, Double.NaN);
    }

    /** The JMX beans of this JVM. */
    final class Jvm implements ResourceProbe {
        static final Jvm INSTANCE = new Jvm();

        private Jvm() {}

        @Override
        public double heapAfterGc() {
            long used = 0;
            long max = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage after = pool.getType() == MemoryType.HEAP && longLived(pool.getName())
                        ? pool.getCollectionUsage()
                        : null;
                if (after != null && pool.getUsage().getMax() > 0) {
                    used += after.getUsed();
                    max += pool.getUsage().getMax();
                }
            }
            return max <= 0 ? Double.NaN : (double) used / max;
        }

        /** The pools Micrometer's {@code JvmMemory.isLongLivedPool} picks: what survives collections. */
        static boolean longLived(String name) {
            return name.endsWith("Old Gen")
                    || name.endsWith("Tenured Gen")
                    || "Shenandoah".equals(name)
                    || "ZHeap".equals(name)
                    || "ZGC Old Generation".equals(name)
                    || name.endsWith("balanced-old")
                    || name.contains("tenured")
                    || "JavaHeap".equals(name);
        }

        @Override
        public double processCpu() {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                double load = sun.getProcessCpuLoad();
                return load < 0 ? Double.NaN : load;
            }
            return Double.NaN;
        }
    }
}
