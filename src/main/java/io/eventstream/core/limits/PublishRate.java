package io.eventstream.core.limits;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import io.eventstream.core.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * {@code eventstream.publish.rate}: how many events a second each HTTP publisher may publish on this node, in bursts
 * of up to one second's worth; {@code 0} turns it off. Java publishing ({@code EventSender}) is not limited.
 *
 * <p>One {@link TokenBucket} per publisher, in a concurrent map: a publish takes its publisher's bucket and takes
 * tokens from it by compare-and-set, so publishers never wait for each other and there is no lock on the publish path.
 * Memory stays bounded: a bucket that has been full for {@link #IDLE} is no different from a new one and is forgotten
 * (a sweep at most once per {@code IDLE}, by whichever publish finds it due). Publishers are authenticated (the check
 * runs after the token's), so the map holds at most the identities the operator issued that published lately.
 */
@ApplicationScoped
public class PublishRate {

    /** How long a publisher's bucket is kept after it filled up again. */
    static final Duration IDLE = Duration.ofMinutes(1);
    /** The least time between two log lines about one publisher's refusals. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(PublishRate.class.getName());

    @Inject
    Settings settings;

    LongSupplier nanos = System::nanoTime;

    private final Map<String, Budget> publishers = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder refusedRequests = new LongAdder();
    private final LongAdder refusedEvents = new LongAdder();

    /** A publisher's bucket, and the throttle of the log lines about it. */
    private record Budget(TokenBucket bucket, LogThrottle log) {
    }

    /** For CDI. */
    public PublishRate() {
    }

    /** A rate outside CDI (tests), on a clock of nanoseconds. */
    public PublishRate(Settings settings, LongSupplier nanos) {
        this.settings = settings;
        this.nanos = nanos;
    }

    /**
     * Counts {@code events} events (a batch's size) against {@code publisher}'s rate, or refuses them all: nothing of
     * the request may then be published. {@link RetryLater} ({@code 429}) with the seconds until the bucket holds them;
     * {@code too-large} for more events than the rate allows in a second, which no wait would make room for.
     */
    public void take(String publisher, int events) {
        int rate = settings.publishRate();
        if (rate == 0) {
            return;
        }
        if (events > rate) {
            throw new EventStreamException(Refusal.TOO_LARGE, events + " events in one request are more than "
                    + "eventstream.publish.rate allows a publisher in a second (" + rate + "): send at most " + rate + " at a time");
        }
        long now = nanos.getAsLong();
        sweepIfDue(now);
        while (true) {
            Budget budget = publishers.get(publisher);
            if (budget == null) {
                budget = publishers.computeIfAbsent(publisher, name -> new Budget(new TokenBucket(rate, now),
                        new LogThrottle(LOG_INTERVAL, now)));
            }
            long wait = budget.bucket().take(events, now);
            if (wait == 0) {
                return;
            }
            if (wait == TokenBucket.RETIRED) {
                publishers.remove(publisher, budget); // the sweep retired it and may not have removed it yet
                continue;
            }
            throw refusal(publisher, budget, events, rate, now, wait);
        }
    }

    // Counts and logs (throttled) a refused request; the refusal to throw.
    private RetryLater refusal(String publisher, Budget budget, int events, int rate, long now, long waitNanos) {
        refusedRequests.increment();
        refusedEvents.add(events);
        long seconds = Math.max(1, (waitNanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        long held = budget.log().admit(now);
        if (held >= 0) {
            LOG.warning(() -> "eventstream: publisher '" + publisher + "' is over eventstream.publish.rate=" + rate
                    + " events a second: refused a request of " + events + " event(s) with 429"
                    + (held > 0 ? " (and " + held + " more refused requests since the last line)" : "")
                    + "; raise eventstream.publish.rate if it should publish faster");
        }
        return new RetryLater("over eventstream.publish.rate: " + rate + " events a second per publisher (bursts of as many);"
                + " nothing of this request was published; retry in " + seconds + " s", seconds);
    }

    // Once per IDLE at most, by the one publish whose compare-and-set moves the next sweep: forget full buckets.
    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (due != Long.MIN_VALUE && now - due < 0 || !nextSweep.compareAndSet(due, now + IDLE.toNanos())) {
            return;
        }
        long idle = IDLE.toNanos();
        publishers.forEach((name, budget) -> {
            if (budget.bucket().retireIfIdle(now, idle)) {
                publishers.remove(name, budget);
            }
        });
    }

    /** Publishers this node keeps a bucket for (those that published within about {@link #IDLE}). */
    public int tracked() {
        return publishers.size();
    }

    /** HTTP publish requests refused for the rate since the node started. */
    public long refusedRequests() {
        return refusedRequests.sum();
    }

    /** Events in them. */
    public long refusedEvents() {
        return refusedEvents.sum();
    }
}
