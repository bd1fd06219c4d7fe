package dev.progresstracker.analytics;

import static dev.progresstracker.analytics.AlertRules.COST_OVER_BUDGET;
import static dev.progresstracker.analytics.AlertRules.QUALITY_DEGRADATION;
import static dev.progresstracker.analytics.AlertRules.RATE_LIMITING;
import static dev.progresstracker.analytics.AlertRules.RESOURCE_PRESSURE;
import static dev.progresstracker.analytics.AlertRules.keep;
import static dev.progresstracker.analytics.AlertRules.put;

import dev.progresstracker.core.Alert;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** The usage and resource rules of {@link AlertRules} (documented there). Stateless. */
final class UsageRules {

    private UsageRules() {}

    static void evaluate(
            AnalyticsConfig config,
            RunAnalytics a,
            Instant now,
            double elapsed,
            Map<String, Alert> active,
            Map<String, Alert> out) {
        UsageStats u = a.usage();
        if (config.maxRateLimitsPerMinute() > 0
                && elapsed >= config.throughputBucket().toNanos() / 1e9) {
            double perMinute = a.rateLimitsPerMinute(now);
            if (perMinute > config.maxRateLimitsPerMinute() && !keep(out, active, RATE_LIMITING)) {
                double pause = Math.max(1, u.meanRateLimitDelaySeconds());
                put(
                        out,
                        new Alert(
                                RATE_LIMITING,
                                RATE_LIMITING,
                                Alert.Severity.WARNING,
                                String.format(
                                        Locale.ROOT,
                                        "%.1f rate-limit hits/min, above %.1f: use smaller batches (record throttled items as failures "
                                                + "and BatchSizeAdvisor scales the next batch down) or pause at least %s between calls",
                                        perMinute,
                                        config.maxRateLimitsPerMinute(),
                                        Insights.human(pause)),
                                null));
            }
        }
        if (config.costBudget() > 0 && u.cost() > config.costBudget() && !keep(out, active, COST_OVER_BUDGET)) {
            String currency = u.currency() == null ? "" : " " + u.currency();
            put(
                    out,
                    new Alert(
                            COST_OVER_BUDGET,
                            COST_OVER_BUDGET,
                            Alert.Severity.CRITICAL,
                            String.format(
                                    Locale.ROOT,
                                    "estimated cost %.2f%s is over the budget %.2f%s",
                                    u.cost(),
                                    currency,
                                    config.costBudget(),
                                    currency),
                            null));
        }
        quality(config, u, active, out);
    }

    private static void quality(
            AnalyticsConfig config, UsageStats u, Map<String, Alert> active, Map<String, Alert> out) {
        if (u.scores() < config.qualityWindow()) {
            return;
        }
        double run = u.runQuality();
        double recent = u.recentQuality();
        double previous = u.previousQuality();
        String why = null;
        if (config.minQuality() > 0 && recent < config.minQuality()) {
            why = String.format(
                    Locale.ROOT,
                    "the last %d quality scores average %.2f, below %.2f",
                    config.qualityWindow(),
                    recent,
                    config.minQuality());
        } else if (config.minQuality() > 0 && run < config.minQuality()) {
            why = String.format(Locale.ROOT, "the run's mean quality %.2f is below %.2f", run, config.minQuality());
        } else if (config.qualityDrop() > 0 && previous - recent > config.qualityDrop()) {
            why = String.format(
                    Locale.ROOT,
                    "quality fell from %.2f to %.2f over the last %d scores",
                    previous,
                    recent,
                    config.qualityWindow());
        }
        if (why != null && !keep(out, active, QUALITY_DEGRADATION)) {
            put(out, new Alert(QUALITY_DEGRADATION, QUALITY_DEGRADATION, Alert.Severity.WARNING, why, null));
        }
    }

    static void resources(
            AnalyticsConfig config, ResourceProbe probe, Map<String, Alert> active, Map<String, Alert> out) {
        double heap = config.maxHeapAfterGc() > 0 ? probe.heapAfterGc() : Double.NaN;
        double cpu = config.maxProcessCpu() > 0 ? probe.processCpu() : Double.NaN;
        String why = null;
        if (heap > config.maxHeapAfterGc()) {
            why = String.format(
                    Locale.ROOT,
                    "heap after GC at %.0f %% of the maximum (threshold %.0f %%)",
                    100 * heap,
                    100 * config.maxHeapAfterGc());
        } else if (cpu > config.maxProcessCpu()) {
            why = String.format(
                    Locale.ROOT, "process CPU at %.0f %% (threshold %.0f %%)", 100 * cpu, 100 * config.maxProcessCpu());
        }
        if (why != null && !keep(out, active, RESOURCE_PRESSURE)) {
            put(
                    out,
                    new Alert(
                            RESOURCE_PRESSURE, RESOURCE_PRESSURE, Alert.Severity.WARNING, "the agent's " + why, null));
        }
    }
}
