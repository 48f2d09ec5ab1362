package io.eventstream.it.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A thread that publishes over HTTP until stopped, or until it made {@code max} attempts, to its channels in turn,
 * recording each attempt in a {@link PublishLog}; one refused or lost is not retried (the next attempt is a new
 * event), as a publisher that gave up on it would.
 */
public final class Publisher implements AutoCloseable {

    // After an attempt that was not acknowledged: the node may be down, and connection refusals come back at once.
    private static final Duration AFTER_FAILURE = Duration.ofMillis(50);

    private final String name;
    private final PublishLog log;
    private final Hub hub;
    private final List<String> channels;
    private final Duration period;
    private final int max;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile int attempts;
    private volatile Throwable failure;

    private Publisher(String name, PublishLog log, Hub hub, List<String> channels, Duration period, int max) {
        this.name = name;
        this.log = log;
        this.hub = hub;
        this.channels = channels;
        this.period = period;
        this.max = max;
        this.thread = new Thread(this::run, "publisher-" + name);
        thread.setDaemon(true);
    }

    /**
     * Starts publishing {@code "<name>-<n>"} to {@code channels} in turn through {@code hub}, one attempt every
     * {@code period} (zero: as fast as the answers come), at most {@code max} attempts.
     */
    public static Publisher start(String name, PublishLog log, Hub hub, List<String> channels, Duration period, int max) {
        Publisher publisher = new Publisher(name, log, hub, channels, period, max);
        publisher.thread.start();
        return publisher;
    }

    private void run() {
        try {
            for (int n = 0; n < max && !stopped; n++) {
                String data = "\"" + name + "-" + n + "\"";
                PublishLog.Attempt attempt = log.publish(hub, name, n, channels.get(n % channels.size()), data);
                attempts = n + 1;
                if (!attempt.acknowledged()) {
                    Thread.sleep(AFTER_FAILURE.toMillis()); // a publisher's retry delay, not a synchronisation
                } else if (!period.isZero()) {
                    Thread.sleep(period.toMillis()); // the publishing rate
                }
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    public int attempts() {
        return attempts;
    }

    /** Stops after the attempt under way and waits for it (an HTTP request times out after 30 s). */
    public void stop() throws InterruptedException {
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(40));
        if (thread.isAlive()) {
            throw new AssertionError("publisher " + name + " did not stop");
        }
        if (failure != null) {
            throw new AssertionError("publisher " + name + " failed", failure);
        }
    }

    /** Waits until it has ended on its own (after {@code max} attempts). */
    public void awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("publisher " + name + " made " + attempts + " of " + max + " attempts in " + timeout);
        }
        stop();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(40));
    }
}
