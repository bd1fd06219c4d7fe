package dev.progresstracker.core.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) UUIDs from {@link ThreadLocalRandom}. Event ids need uniqueness, not
 * unpredictability, and {@link UUID#randomUUID()} contends on a shared SecureRandom.
 */
final class FastUuid {
    private FastUuid() {}

    static UUID next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
