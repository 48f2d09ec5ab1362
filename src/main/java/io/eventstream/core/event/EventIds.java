package io.eventstream.core.event;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Issues event ids that are unique across nodes: publish time, a random node tag and a per-node counter.
 *
 * <p>The tag is drawn once per deployment, so two nodes (or one node before and after a restart) never
 * issue the same id even when their clocks agree.
 */
public final class EventIds {

    // Ours, and JMS message ids (ID:...) of events published straight onto the topic.
    private static final Pattern RESUMABLE = Pattern.compile("[A-Za-z0-9:_\\-.]{1,128}");

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

    /** Returns a client's last event id when it has the shape of an id, otherwise throws saying so. */
    public static String requireResumable(String id) {
        if (id == null || !RESUMABLE.matcher(id).matches()) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "last event id '" + ChannelName.printable(String.valueOf(id))
                    + "' is not an event id of this hub; reconnect without one");
        }
        return id;
    }

    /**
     * Returns the id of an event read from the topic when it has the shape of an id (what a client can send back as
     * its last event id), otherwise throws saying so: a foreign publisher's id goes into every subscriber's
     * {@code id:} line, so a line break in it would write fields of its own.
     */
    public static String requireFromTopic(String id) {
        if (id == null || !RESUMABLE.matcher(id).matches()) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "event id '" + ChannelName.printable(String.valueOf(id))
                    + "' must be 1 to 128 characters of A-Z a-z 0-9 : _ - .");
        }
        return id;
    }

    private static String randomTag() {
        long bits = new SecureRandom().nextLong() & 0xFFFFFFFFFL; // 36 bits: 7 base-36 characters at most
        return Long.toString(bits, 36);
    }
}
