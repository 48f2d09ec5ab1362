package io.eventstream.event;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues event ids that are unique across nodes: publish time, a random node tag and a per-node counter.
 *
 * <p>The tag is drawn once per deployment, so two nodes (or one node before and after a restart) never
 * issue the same id even when their clocks agree.
 */
public final class EventIds {

    private final String node;
    private final AtomicLong counter = new AtomicLong();

    public EventIds() {
        this(randomTag());
    }

    EventIds(String node) {
        this.node = node;
    }

    /** A new id, such as {@code m3x9k2a1-q7f3c2-0}. */
    public String next() {
        return Long.toString(System.currentTimeMillis(), 36) + '-' + node + '-'
                + Long.toString(counter.getAndIncrement(), 36);
    }

    private static String randomTag() {
        long bits = new SecureRandom().nextLong() & 0xFFFFFFFFFL; // 36 bits: 7 base-36 characters at most
        return Long.toString(bits, 36);
    }
}
