package io.eventstream.core.limits;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;

/**
 * A {@code too-many-requests} refusal that says when a retry can succeed ({@code Retry-After}), and that its thrower has
 * logged already, throttled ({@link LogThrottle}): the HTTP adapter answers it without a log line of its own, so that a
 * flood of refused requests is not a flood of log lines.
 */
public class RetryLater extends EventStreamException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    /** @param retryAfterSeconds when to retry, in whole seconds; raised to 1 when less */
    public RetryLater(String message, long retryAfterSeconds) {
        super(Refusal.TOO_MANY_REQUESTS, message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** Seconds until a retry can succeed, at least 1: the {@code Retry-After} header. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
