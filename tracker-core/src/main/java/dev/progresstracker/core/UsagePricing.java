package dev.progresstracker.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Prices per model for {@link ProgressTracker#recordUsage}'s cost estimate: per 1,000 input and per
 * 1,000 output tokens, in one currency. No price is built in; default {@link #NONE} (tokens are
 * counted, no cost is estimated). With prices configured, a model without a price is refused at
 * the call. Immutable; thread-safe.
 */
public final class UsagePricing {

    /** One model's prices per 1,000 tokens. */
    public record ModelPrice(double inputPer1k, double outputPer1k) {
        public ModelPrice {
            if (!(inputPer1k >= 0)
                    || !(outputPer1k >= 0)
                    || Double.isInfinite(inputPer1k)
                    || Double.isInfinite(outputPer1k)) {
                throw new IllegalArgumentException(
                        "model prices must be finite and non-negative, got " + inputPer1k + " / " + outputPer1k);
            }
        }

        /** The cost of {@code tokensIn} input and {@code tokensOut} output tokens. */
        public double cost(long tokensIn, long tokensOut) {
            return tokensIn / 1000.0 * inputPer1k + tokensOut / 1000.0 * outputPer1k;
        }
    }

    /** No prices: costs stay 0 and carry no currency. */
    public static final UsagePricing NONE = new UsagePricing("USD", Map.of());

    private final String currency;
    private final Map<String, ModelPrice> prices;

    private UsagePricing(String currency, Map<String, ModelPrice> prices) {
        this.currency = currency;
        this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
    }

    public String currency() {
        return currency;
    }

    public Map<String, ModelPrice> prices() {
        return prices;
    }

    public boolean isEmpty() {
        return prices.isEmpty();
    }

    /**
     * Prices from {@code TRACKER_PRICING} ({@code model=inputPer1k/outputPer1k} pairs separated by
     * commas, e.g. {@code small=0.00025/0.00125,large=0.003/0.015}) and {@code TRACKER_PRICING_CURRENCY}
     * (default {@code USD}); {@link #NONE} when {@code TRACKER_PRICING} is unset.
     */
    public static UsagePricing fromEnvironment(Function<String, String> env) {
        Builder b = builder();
        String currency = variable(env, "TRACKER_PRICING_CURRENCY");
        if (currency != null) {
            b.currency(currency);
        }
        String spec = variable(env, "TRACKER_PRICING");
        if (spec == null) {
            return b.currency.equals("USD") ? NONE : b.build();
        }
        for (String pair : spec.split(",")) {
            String[] kv = pair.trim().split("=", 2);
            String[] io = kv.length == 2 ? kv[1].split("/", 2) : new String[0];
            if (io.length != 2) {
                throw new IllegalArgumentException(
                        "TRACKER_PRICING must be model=inputPer1k/outputPer1k pairs, got '" + pair.trim() + "'");
            }
            try {
                b.model(kv[0].trim(), Double.parseDouble(io[0].trim()), Double.parseDouble(io[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "TRACKER_PRICING: prices of '" + kv[0].trim() + "' must be numbers, got '" + kv[1] + "'", e);
            }
        }
        return b.build();
    }

    /** A variable's trimmed value; null when unset or blank. */
    private static String variable(Function<String, String> env, String name) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsagePricing p && p.currency.equals(currency) && p.prices.equals(prices);
    }

    @Override
    public int hashCode() {
        return Objects.hash(currency, prices);
    }

    @Override
    public String toString() {
        return "UsagePricing[" + currency + ", " + prices + "]";
    }

    /** Builder; currency default {@code USD}, no models. */
    public static final class Builder {
        private String currency = "USD";
        private final Map<String, ModelPrice> prices = new LinkedHashMap<>();

        private Builder() {}

        /** ISO-4217-like code, 3 upper-case letters (e.g. {@code USD}, {@code EUR}). */
        public Builder currency(String v) {
            if (v == null || !v.matches("[A-Z]{3}")) {
                throw new IllegalArgumentException("currency must be 3 upper-case letters, got '" + v + "'");
            }
            this.currency = v;
            return this;
        }

        /** The prices of {@code model} per 1,000 input and per 1,000 output tokens. */
        public Builder model(String model, double inputPer1k, double outputPer1k) {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model name must not be blank");
            }
            prices.put(model, new ModelPrice(inputPer1k, outputPer1k));
            return this;
        }

        public UsagePricing build() {
            return new UsagePricing(currency, prices);
        }
    }
}
