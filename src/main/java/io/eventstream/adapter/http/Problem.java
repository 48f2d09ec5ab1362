package io.eventstream.adapter.http;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.limits.RetryLater;
import io.eventstream.core.metrics.RefusedRequests;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A refused request as the contract words it: the condition's status, the JSON body
 * {@code {"condition":"bad-request","text":"..."}} and the headers that go with the condition; written by the servlet
 * filter that refused it.
 *
 * @param refusal           why, with its status and its condition's name
 * @param text              what to fix, for the client
 * @param retryAfterSeconds the {@code Retry-After} of a {@code 429}: when a retry can succeed
 */
public record Problem(Refusal refusal, String text, long retryAfterSeconds) {

    private static final Logger LOG = Logger.getLogger(Problem.class.getName());

    // A 429's Retry-After when the refusal does not know better (a connection limit: streams end when they end).
    private static final long RETRY_AFTER_SECONDS = 10;

    /** A problem with the default {@code Retry-After} (used only by a {@code 429}). */
    public Problem(Refusal refusal, String text) {
        this(refusal, text, RETRY_AFTER_SECONDS);
    }

    /**
     * What the client is told about a failure, with one log line: a 4xx says what to fix, a 5xx says to read the
     * server log (which has the stack trace), and no stack trace ever reaches a client.
     */
    public static Problem of(Throwable failure) {
        if (failure instanceof RetryLater later) {
            return new Problem(later.refusal(), later.getMessage(), later.retryAfterSeconds()); // logged by its thrower
        }
        if (failure instanceof EventStreamException refused) {
            Refusal refusal = refused.refusal();
            if (refusal.status() >= 500) {
                LOG.warning(() -> "eventstream: " + refused.getMessage());
            } else {
                LOG.info(() -> "eventstream: refused a request (" + refusal.status() + "): " + refused.getMessage());
            }
            return new Problem(refusal, refused.getMessage());
        }
        LOG.log(Level.SEVERE, "eventstream: request failed", failure);
        return new Problem(Refusal.INTERNAL_ERROR, "internal error; the server log has the details");
    }

    /** The status answered. */
    public int status() {
        return refusal.status();
    }

    /** The headers that go with the condition (RFC 9110: a 401 names its scheme; a 429 says when to come back). */
    public Map<String, String> headers() {
        return switch (refusal) {
            case UNAUTHORIZED -> Map.of("WWW-Authenticate", "Bearer realm=\"eventstream\"");
            case TOO_MANY_REQUESTS -> Map.of("Retry-After", String.valueOf(retryAfterSeconds));
            default -> Map.of();
        };
    }

    /** The JSON body. */
    public String json() {
        return JsonData.JSON.createObjectBuilder().add("condition", refusal.code()).add("text", text).build().toString();
    }

    /** Writes this problem as the whole response, counted in {@code refused} (the metrics' refused requests). */
    public void writeTo(HttpServletResponse response, RefusedRequests refused) throws IOException {
        refused.count(refusal);
        writeTo(response);
    }

    /** Writes this problem as the whole response. */
    public void writeTo(HttpServletResponse response) throws IOException {
        headers().forEach(response::setHeader);
        JsonAnswer.write(response, status(), json());
    }
}
