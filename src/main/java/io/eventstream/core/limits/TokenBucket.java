package io.eventstream.core.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One publisher's token bucket: {@code perSecond} tokens a second, holding at most one second's worth (the burst), one
 * token an event. Lock-free: its whole state is one {@code long}, changed by compare-and-set.
 *
 * <p>The state is the time at which the bucket is full again (the "theoretical arrival time" of the generic cell
 * rate algorithm, which is a token bucket kept as one number): taking {@code n} tokens pushes it {@code n} token
 * intervals later, from now if it was already full. The take is allowed when the bucket then needs at most a second
 * to be full again, i.e. it held {@code n} tokens; otherwise nothing is taken and the answer is how long until it
 * holds them. Concurrent takes from one publisher retry their compare-and-set against each other; different
 * publishers share nothing, so the publish path has no lock common to all.
 */
public final class TokenBucket {

    /** What {@link #take} answers when the bucket was {@link #retireIfIdle retired}: fetch or make a new one. */
    public static final long RETIRED = -1;
    private static final long SECOND = 1_000_000_000L;
    private static final long RETIRED_MARK = Long.MAX_VALUE; // fullAt of a retired bucket: no take can pass

    private final long interval; // nanoseconds a token takes to come back
    private final long window; // nanoseconds a whole burst takes to come back: at most a second
    private final AtomicLong fullAt;

    /**
     * A full bucket.
     *
     * @param perSecond tokens a second, and the most it holds; at least 1
     * @param now       the current time in nanoseconds ({@code System.nanoTime()} or a test's hand clock)
     */
    public TokenBucket(int perSecond, long now) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("a token bucket needs a rate of 1 or more, not " + perSecond);
        }
        this.interval = Math.max(1, SECOND / perSecond);
        this.window = perSecond * interval;
        this.fullAt = new AtomicLong(now);
    }

    /**
     * Takes {@code n} tokens if the bucket holds them: 0 when taken, else the nanoseconds until it holds them (nothing
     * taken), or {@link #RETIRED}.
     */
    public long take(int n, long now) {
        long cost = n * interval;
        while (true) {
            long was = fullAt.get();
            if (was == RETIRED_MARK) {
                return RETIRED;
            }
            long then = Math.max(was, now) + cost;
            long wait = then - window - now;
            if (wait > 0) {
                return wait;
            }
            if (fullAt.compareAndSet(was, then)) {
                return 0;
            }
        }
    }

    /**
     * Retires the bucket if it has been full for at least {@code idleNanos}: it is then no different from a new one,
     * so forgetting it loses nothing. A take that races with this either lands first (and the bucket is no longer
     * idle) or sees {@link #RETIRED} and goes to a new bucket: no take is lost, none is counted twice.
     */
    public boolean retireIfIdle(long now, long idleNanos) {
        long was = fullAt.get();
        return was != RETIRED_MARK && now - was >= idleNanos && fullAt.compareAndSet(was, RETIRED_MARK);
    }
}
