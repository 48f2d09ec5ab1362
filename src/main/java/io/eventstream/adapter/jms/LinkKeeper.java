package io.eventstream.adapter.jms;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.hub.Inbound;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Keeps the node linked to the topic: opens the link, reopens it with capped backoff when it is lost, tells the
 * hub that events may have been missed once it is back, and refuses to publish while it is down.
 *
 * <p>Every attempt to open a link, the first one included, runs on the reconnector (one thread), so
 * {@link #connect()} never runs twice at once. Publishers read the current link without a lock: a link lost under
 * them fails their send, which they are told about.
 */
final class LinkKeeper {

    private static final Logger LOG = Logger.getLogger(LinkKeeper.class.getName());
    static final long FIRST_RETRY_MILLIS = 500;
    static final long MAX_RETRY_MILLIS = 10_000;

    /** Runs tasks on one thread, now or after a delay. */
    @FunctionalInterface
    interface Reconnector {
        void schedule(Runnable task, long delayMillis);
    }

    /** A send over a link, confirmed when the future completes. */
    @FunctionalInterface
    interface Send {
        CompletableFuture<Void> to(BrokerLink link) throws Exception;
    }

    private final String broker;
    private final BrokerLink.Opener opener;
    private final Inbound inbound;
    private final Reconnector reconnector;
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private volatile BrokerLink link;
    private volatile String failure = "the broker has not been reached yet";
    private volatile boolean stopping;
    private boolean linkedBefore; // only touched by connect(), on the reconnector
    private long retryMillis = FIRST_RETRY_MILLIS; // likewise

    /** @param broker how log lines and refusals name the broker, e.g. {@code artemis} */
    LinkKeeper(String broker, BrokerLink.Opener opener, Inbound inbound, Reconnector reconnector) {
        this.broker = broker;
        this.opener = opener;
        this.inbound = inbound;
        this.reconnector = reconnector;
    }

    /** Makes the first attempt; {@link #firstAttempt()} completes when it has succeeded or failed. */
    void start() {
        reconnector.schedule(this::connect, 0);
    }

    /** Completes once the first attempt to link is over, either way. */
    CompletableFuture<Void> firstAttempt() {
        return firstAttempt;
    }

    // On the reconnector only.
    private void connect() {
        if (stopping) {
            return;
        }
        try {
            BrokerLink opened = opener.open(this::linkFailed);
            link = opened;
            if (opened.failed()) {
                // Lost before we held it (its report found no link to drop): a failed attempt like any other, retried
                // after the backoff, so a broker that drops every connection at once is not asked in a tight loop.
                link = null;
                opened.close();
                throw new IllegalStateException("the connection was lost as it opened");
            }
            if (linkedBefore && !opened.caughtUp()) {
                inbound.missed(); // whatever was published while we were away never reached this node
            }
            linkedBefore = true;
            retryMillis = FIRST_RETRY_MILLIS;
            failure = null;
            LOG.info(() -> "eventstream: linked to the topic (broker " + broker + ")");
        } catch (Exception e) {
            markFailed("cannot connect to the " + broker + " broker: " + describe(e));
            LOG.warning(() -> "eventstream: next broker connection attempt in " + retryMillis + " ms");
            reconnector.schedule(this::connect, retryMillis);
            retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        } finally {
            firstAttempt.complete(null);
        }
    }

    // Any thread (the broker client's): drops the link and reconnects on the reconnector.
    private void linkFailed(BrokerLink failed, Exception e) {
        if (stopping || failed != link) {
            return; // an old link, or one connect() has not taken yet and will check itself
        }
        markFailed("the broker connection failed: " + (e == null ? "lost at once" : describe(e)));
        if (failed.caughtUp()) {
            inbound.fallingBehind(); // the next link catches the node up from the log; resumes it cannot serve wait
        }
        reconnector.schedule(() -> {
            if (link == failed) {
                link = null;
                failed.close();
                connect();
            }
        }, 0);
    }

    /** Records why the broker cannot be used, with the log line operators alert on. */
    void markFailed(String reason) {
        failure = reason;
        LOG.severe(() -> "eventstream: unhealthy: " + reason);
    }

    /**
     * Sends over the current link without waiting for the broker; the future completes once the broker has
     * confirmed, or with {@code unavailable} saying why not. {@code what} describes the send, built only when it fails.
     */
    CompletableFuture<Void> send(Supplier<String> what, Send send) {
        BrokerLink current = link;
        String reason = failure;
        if (reason != null || current == null) {
            return CompletableFuture.failedFuture(new EventStreamException(Refusal.UNAVAILABLE, "cannot " + what.get() + ": "
                    + (reason != null ? reason : "the broker is reconnecting")));
        }
        CompletableFuture<Void> confirmed;
        try {
            confirmed = send.to(current);
        } catch (Exception e) {
            confirmed = CompletableFuture.failedFuture(e);
        }
        // Runs on the thread that completes the send (the broker client's), so it only wraps the failure.
        return confirmed.handle((done, e) -> {
            if (e == null) {
                return null;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new EventStreamException(Refusal.UNAVAILABLE, "cannot " + what.get() + ": " + describe(cause), cause);
        });
    }

    /** Why nothing can be sent now, or empty when linked. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Stops reconnecting and closes the link. */
    void stop() {
        stopping = true;
        failure = "the application is shutting down";
        BrokerLink current = link;
        if (current != null) {
            current.close();
        }
    }

    // Artemis often reports a server-side failure with no message (e.g. an empty INTERNAL_ERROR): name the type.
    static String describe(Throwable e) {
        if (e instanceof TimeoutException && e.getMessage() == null) {
            return "the broker did not confirm it in time";
        }
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        return e.getClass().getSimpleName() + (e.getCause() != null ? " caused by " + describe(e.getCause()) : "")
                + "; the server log may say more";
    }
}
